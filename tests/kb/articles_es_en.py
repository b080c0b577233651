"""A small but realistic help centre in English and Spanish, for the tests of suggestions and languages."""

ARTICLES = [
    # (title, body, language)
    (
        "When will I get my refund?",
        "Once your return arrives we refund you within 5 working days. "
        "The money reaches your card in 3 to 10 days, depending on your bank.",
        "en",
    ),
    (
        "How to return an item",
        "You can return anything within 30 days. Print the return label from your order page and drop the parcel at any post office.",
        "en",
    ),
    (
        "Where is my order?",
        "Follow your parcel with the tracking link in the shipping email. Orders usually arrive in 2 to 4 working days.",
        "en",
    ),
    (
        "Change the delivery address",
        "You can change the delivery address until the order ships. Open the order page and choose Edit address.",
        "en",
    ),
    ("Reset your password", "On the sign-in page press Forgot your password? and follow the link we email you.", "en"),
    ("Change the email of your account", "Open Account settings, type the new email and confirm it from the message we send.", "en"),
    ("Cancel an order", "You can cancel an order from the order page until it ships. The refund arrives within 5 days.", "en"),
    ("Download an invoice", "Every order has its invoice as a PDF on the order page.", "en"),
    ("Payment methods", "We accept cards, PayPal and bank transfer. Payments are safe and encrypted.", "en"),
    ("Opening hours", "Our team answers from Monday to Friday, 9:00 to 18:00.", "en"),
    (
        "¿Cuándo recibiré mi reembolso?",
        "Cuando llega su devolución, le hacemos el reembolso en 5 días hábiles. "
        "El dinero llega a su tarjeta en 3 a 10 días, según su banco.",
        "es",
    ),
    (
        "Cómo devolver un artículo",
        "Puede devolver cualquier artículo en 30 días. "
        "Imprima la etiqueta de devolución desde la página del pedido y lleve el paquete a correos.",
        "es",
    ),
    (
        "¿Dónde está mi pedido?",
        "Siga su paquete con el enlace de seguimiento del correo de envío. Los pedidos suelen llegar en 2 a 4 días hábiles.",
        "es",
    ),
    (
        "Cambiar la dirección de entrega",
        "Puede cambiar la dirección de entrega hasta que el pedido salga. Abra la página del pedido y elija Editar dirección.",
        "es",
    ),
    ("Restablecer la contraseña", "En la página de acceso pulse ¿Olvidó su contraseña? y siga el enlace que le enviamos por correo.", "es"),
    (
        "Cambiar el correo de su cuenta",
        "Abra Ajustes de la cuenta, escriba el nuevo correo y confírmelo desde el mensaje que le enviamos.",
        "es",
    ),
    ("Cancelar un pedido", "Puede cancelar un pedido desde su página hasta que salga. El reembolso llega en 5 días.", "es"),
    ("Descargar una factura", "Cada pedido tiene su factura en PDF en la página del pedido.", "es"),
    ("Formas de pago", "Aceptamos tarjetas, PayPal y transferencia bancaria. Los pagos son seguros.", "es"),
    ("Horario de atención", "Nuestro equipo atiende de lunes a viernes, de 9:00 a 18:00.", "es"),
]
