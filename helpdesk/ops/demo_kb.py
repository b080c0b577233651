"""Demo knowledge base: a dozen useful articles in English and Spanish across three categories."""

from ..core.extensions import db
from ..kb.models import ArticleStatus, KbCategory
from ..kb.services import link_translation, save_article

CATEGORIES = [
    ("orders", "Orders and delivery", "Pedidos y envíos"),
    ("returns", "Returns and refunds", "Devoluciones y reembolsos"),
    ("account", "Your account", "Su cuenta"),
]

ARTICLES = [
    (
        "orders",
        "en",
        "How long does delivery take?",
        "Orders placed before **2 pm** on a working day leave our warehouse the same day.\n\n"
        "- Mainland: 24–48 hours\n- Balearic Islands: 3–4 days\n- Canary Islands: 4–6 days\n\n"
        "You get an email with the tracking link as soon as the parcel ships.",
    ),
    (
        "orders",
        "es",
        "¿Cuánto tarda el envío?",
        "Los pedidos hechos antes de las **14:00** de un día laborable salen del almacén ese mismo día.\n\n"
        "- Península: 24–48 horas\n- Baleares: 3–4 días\n- Canarias: 4–6 días\n\n"
        "Recibirá un correo con el enlace de seguimiento en cuanto salga el paquete.",
    ),
    (
        "orders",
        "en",
        "Change the delivery address of an order",
        "You can change the address until the order ships. Open **My orders**, choose the order and press "
        "*Change address*. After it ships, reply to the shipping email and we will ask the carrier.",
    ),
    (
        "orders",
        "es",
        "Cambiar la dirección de entrega de un pedido",
        "Puede cambiar la dirección hasta que el pedido salga. Abra **Mis pedidos**, elija el pedido y pulse "
        "*Cambiar dirección*. Si ya ha salido, responda al correo de envío y se lo pediremos a la empresa de transporte.",
    ),
    (
        "returns",
        "en",
        "How to return an item",
        "You have **30 days** from delivery to return any unused item in its box.\n\n"
        "1. Open **My orders** and press *Return*.\n2. Print the label we email you.\n3. Drop the parcel at any post office.\n\n"
        "Returns are free within the mainland.",
    ),
    (
        "returns",
        "es",
        "Cómo hacer una devolución",
        "Tiene **30 días** desde la entrega para devolver cualquier artículo sin usar y en su caja.\n\n"
        "1. Abra **Mis pedidos** y pulse *Devolver*.\n2. Imprima la etiqueta que le enviamos por correo.\n"
        "3. Deje el paquete en cualquier oficina de correos.\n\nLas devoluciones son gratuitas en la península.",
    ),
    (
        "returns",
        "en",
        "When will I get my refund?",
        "We refund within **5 working days** of receiving the return, to the same card or account you paid with. "
        "Your bank may take 2–3 more days to show it.",
    ),
    (
        "returns",
        "es",
        "¿Cuándo recibiré el reembolso?",
        "Reembolsamos en **5 días laborables** desde que recibimos la devolución, en la misma tarjeta o cuenta con la que pagó. "
        "Su banco puede tardar 2–3 días más en mostrarlo.",
    ),
    (
        "account",
        "en",
        "Reset your password",
        "On the sign-in page press **Forgot your password?** and enter your email. The link we send is valid for one hour. "
        "If no email arrives, look in the spam folder.",
    ),
    (
        "account",
        "es",
        "Restablecer la contraseña",
        "En la página de acceso pulse **¿Ha olvidado su contraseña?** y escriba su correo. El enlace que le enviamos vale una hora. "
        "Si no llega, revise la carpeta de correo no deseado.",
    ),
    (
        "account",
        "en",
        "Download your invoices",
        "All invoices are in **My account → Invoices**, as PDF. For a corrected invoice (for example a wrong tax number), "
        "send us a request with the invoice number.",
    ),
    (
        "account",
        "es",
        "Descargar sus facturas",
        "Todas las facturas están en **Mi cuenta → Facturas**, en PDF. Para una factura rectificativa (por ejemplo, un CIF erróneo), "
        "envíenos una solicitud con el número de factura.",
    ),
]


def seed_knowledge_base() -> None:
    categories = {}
    for position, (slug, name_en, name_es) in enumerate(CATEGORIES):
        categories[slug] = KbCategory(slug=slug, name_en=name_en, name_es=name_es, position=position)
        db.session.add(categories[slug])
    db.session.flush()
    saved = [
        save_article(None, title=title, body=body, category=categories[category], language=language, status=ArticleStatus.PUBLISHED)
        for category, language, title, body in ARTICLES
    ]
    db.session.flush()
    for english, spanish in zip(saved[::2], saved[1::2], strict=True):  # ARTICLES lists each English one, then its Spanish
        link_translation(english, spanish)
