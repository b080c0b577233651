"""Spanish translations, kept as data: `python scripts/translations_es.py` merges them into the .po catalogue.

Run it after `pybabel extract` / `pybabel update` (see README, Translating); the test suite fails on any message
the Spanish catalogue lacks.
"""

ES = {
    "The database schema is at %(current)s but this version needs %(head)s. Run: flask db upgrade":
        "El esquema de la base de datos está en %(current)s pero esta versión necesita %(head)s. Ejecute: flask db upgrade",
    "Upgrade needed": "Hace falta actualizar",
    "Email": "Correo electrónico",
    "Please enter your email address.": "Escriba su dirección de correo electrónico.",
    "Password": "Contraseña",
    "Please enter your password.": "Escriba su contraseña.",
    "Keep me signed in on this device": "Mantener la sesión iniciada en este dispositivo",
    "Language": "Idioma",
    "Time zone": "Zona horaria",
    "Wrong email or password.": "Correo electrónico o contraseña incorrectos.",
    "You are signed out.": "Ha cerrado la sesión.",
    "Your preferences are saved.": "Sus preferencias se han guardado.",
    "Your form expired": "El formulario ha caducado",
    "The form was open too long or came from another site. Reload the page and try again.":
        "El formulario estuvo abierto demasiado tiempo o vino de otro sitio. Recargue la página e inténtelo de nuevo.",
    "That did not work": "No se ha podido hacer",
    "Page not found": "Página no encontrada",
    "This page does not exist, or the link has expired.": "Esta página no existe o el enlace ha caducado.",
    "Not allowed": "No permitido",
    "You do not have access to this page.": "No tiene acceso a esta página.",
    "This address does not accept that kind of request.": "Esta dirección no acepta ese tipo de petición.",
    "Too large": "Demasiado grande",
    "What you sent is larger than we accept.": "Lo que ha enviado supera el tamaño que aceptamos.",
    "Slow down": "Más despacio",
    "Too many attempts in a short time. Please wait a minute and try again.":
        "Demasiados intentos en poco tiempo. Espere un minuto y vuelva a intentarlo.",
    "Something went wrong": "Algo ha fallado",
    "The error was logged. Please try again in a moment.": "Hemos registrado el error. Inténtelo de nuevo en un momento.",
    "An email address is at most 254 characters.": "Una dirección de correo tiene como máximo 254 caracteres.",
    "That does not look like an email address (name@example.com).":
        "Eso no parece una dirección de correo electrónico (nombre@ejemplo.com).",
    "Subject": "Asunto",
    "Please write a short subject.": "Escriba un asunto breve.",
    "The subject is at most 250 characters; put the details in the message.":
        "El asunto tiene como máximo 250 caracteres; ponga los detalles en el mensaje.",
    "Message": "Mensaje",
    "Please write a message.": "Escriba un mensaje.",
    "The message is too long (at most 50,000 characters).": "El mensaje es demasiado largo (como máximo 50.000 caracteres).",
    "A name is at most 120 characters.": "Un nombre tiene como máximo 120 caracteres.",
    "Please tell us your name.": "Díganos su nombre.",
    "Name": "Nombre",
    "Queued": "En cola",
    "Sending": "Enviando",
    "Sent": "Enviado",
    "Kept (not sent)": "Guardado (sin enviar)",
    "Failed": "Fallido",
    "Your name": "Su nombre",
    "Your email": "Su correo electrónico",
    "How can we help?": "¿Cómo podemos ayudarle?",
    "Please describe what you need.": "Describa lo que necesita.",
    "Your reply": "Su respuesta",
    "Please write your reply.": "Escriba su respuesta.",
    "New": "Nuevo",
    "Open": "Abierto",
    "Pending": "Pendiente",
    "Resolved": "Resuelto",
    "Closed": "Cerrado",
    "Low": "Baja",
    "Medium": "Media",
    "High": "Alta",
    "Critical": "Crítica",
    "Planning": "Planificación",
    "Phone": "Teléfono",
    "Chat": "Chat",
    "Walk-in": "En persona",
    "Web": "Web",
    "Other": "Otro",
    "Reply": "Respuesta",
    "Write something before sending.": "Escriba algo antes de enviar.",
    "Internal note (never shown to the customer)": "Nota interna (el cliente nunca la ve)",
    "Status": "Estado",
    "Impact": "Impacto",
    "Urgency": "Urgencia",
    "Priority": "Prioridad",
    "Assignee": "Asignado a",
    "Category": "Categoría",
    "Customer's email": "Correo del cliente",
    "Customer's name": "Nombre del cliente",
    "Channel": "Canal",
    "What the customer needs": "Lo que necesita el cliente",
    "Please describe the request.": "Describa la solicitud.",
    "Email the customer a confirmation with the link to follow the ticket":
        "Enviar al cliente una confirmación con el enlace para seguir el ticket",
    "Sort": "Orden",
    "created the ticket via %(new)s": "creó el ticket por %(new)s",
    "changed the status from %(old)s to %(new)s": "cambió el estado de %(old)s a %(new)s",
    "changed the priority from %(old)s to %(new)s": "cambió la prioridad de %(old)s a %(new)s",
    "changed the impact from %(old)s to %(new)s": "cambió el impacto de %(old)s a %(new)s",
    "changed the urgency from %(old)s to %(new)s": "cambió la urgencia de %(old)s a %(new)s",
    "changed the assignee from %(old)s to %(new)s": "cambió la asignación de %(old)s a %(new)s",
    "changed the category from %(old)s to %(new)s": "cambió la categoría de %(old)s a %(new)s",
    "replied to the customer": "respondió al cliente",
    "added an internal note": "añadió una nota interna",
    "replied": "respondió",
    "nobody": "nadie",
    "We received your request %(ref)s: %(subject)s": "Hemos recibido su solicitud %(ref)s: %(subject)s",
    "Ticket %(ref)s is closed; it cannot get new replies.": "El ticket %(ref)s está cerrado; no admite respuestas nuevas.",
    "This request is closed. Please send a new request instead.": "Esta solicitud está cerrada. Envíe una solicitud nueva.",
    "Someone else changed this ticket while you were editing it. Nothing was saved: check the current values and try again.":
        "Otra persona cambió este ticket mientras lo editaba. No se ha guardado nada: revise los valores actuales e inténtelo de nuevo.",
    "Any status": "Cualquier estado",
    "Any priority": "Cualquier prioridad",
    "Anyone": "Cualquiera",
    "Nobody": "Nadie",
    "Recently updated": "Actualizados recientemente",
    "Least recently updated": "Actualizados hace más tiempo",
    "Automatic (impact × urgency)": "Automática (impacto × urgencia)",
    "None": "Ninguna",
    "Internal note added.": "Nota interna añadida.",
    "Reply sent to the customer.": "Respuesta enviada al cliente.",
    "Saved.": "Guardado.",
    "Ticket updated.": "Ticket actualizado.",
    "Ticket %(ref)s created.": "Ticket %(ref)s creado.",
    "Skip to content": "Saltar al contenido",
    "Staff sign in": "Acceso del personal",
    "Sign in": "Iniciar sesión",
    "Preferences": "Preferencias",
    "Save": "Guardar",
    "Hello %(name)s,": "Hola, %(name)s:",
    "Thank you for contacting %(company)s. We received your request and will answer as soon as we can.":
        "Gracias por contactar con %(company)s. Hemos recibido su solicitud y le responderemos lo antes posible.",
    "Reference:": "Referencia:",
    "Subject:": "Asunto:",
    "Follow your request and reply to us here:": "Siga su solicitud y respóndanos aquí:",
    "See the whole conversation and reply here:": "Vea toda la conversación y responda aquí:",
    "Go to the start page": "Ir a la página de inicio",
    "Tickets": "Tickets",
    "New ticket": "Nuevo ticket",
    "Outgoing mail": "Correo saliente",
    "Sign out": "Cerrar sesión",
    "Please correct the marked fields.": "Corrija los campos marcados.",
    "No mail server is configured (MAIL_URL), so emails are kept here instead of being sent. Open one to follow its links.":
        "No hay un servidor de correo configurado (MAIL_URL), así que los correos se guardan aquí en vez de enviarse. "
        "Abra uno para seguir sus enlaces.",
    "Created": "Creado",
    "To": "Para",
    "Attempts": "Intentos",
    "Older": "Anteriores",
    "No email has been written yet.": "Todavía no se ha escrito ningún correo.",
    "Last error": "Último error",
    "Help centre": "Centro de ayuda",
    "Get help from %(company)s: send a request and follow its answer.":
        "Obtenga ayuda de %(company)s: envíe una solicitud y siga la respuesta.",
    "Tell us what you need and we will answer by email. You can follow your request from the link we send you.":
        "Cuéntenos qué necesita y le responderemos por correo. Podrá seguir su solicitud desde el enlace que le enviemos.",
    "Send a request": "Enviar una solicitud",
    "We usually answer within one working day. You will get an email with a link to follow your request.":
        "Solemos responder en un día laborable. Recibirá un correo con un enlace para seguir su solicitud.",
    "We send the answer here.": "Le enviaremos la respuesta aquí.",
    "Send request": "Enviar solicitud",
    "Request received": "Solicitud recibida",
    "Thank you, we received your request": "Gracias, hemos recibido su solicitud",
    "Your reference is": "Su referencia es",
    "We sent a confirmation to %(email)s with a link to follow your request and reply to us.":
        "Hemos enviado una confirmación a %(email)s con un enlace para seguir su solicitud y respondernos.",
    "View your request": "Ver su solicitud",
    "Status:": "Estado:",
    "Conversation": "Conversación",
    "This request is closed. If you need more help, please send a new request.":
        "Esta solicitud está cerrada. Si necesita más ayuda, envíe una solicitud nueva.",
    "Send reply": "Enviar respuesta",
    "Activity": "Actividad",
    "System": "Sistema",
    "Internal note": "Nota interna",
    "Send": "Enviar",
    "Customer": "Cliente",
    "Updated": "Actualizado",
    "No tickets here. Nice and quiet.": "No hay tickets aquí. Todo tranquilo.",
    "Pages": "Páginas",
    "Previous": "Anterior",
    "First page": "Primera página",
    "Next": "Siguiente",
    "Details": "Detalles",
    "Save changes": "Guardar cambios",
    "Views": "Vistas",
    "Mine": "Míos",
    "Unassigned": "Sin asignar",
    "All open": "Todos los abiertos",
    "All": "Todos",
    "Apply": "Aplicar",
    "New ticket for a customer": "Nuevo ticket para un cliente",
    "For a request that came by phone, chat or at the counter.": "Para una solicitud que llegó por teléfono, chat o en persona.",
    "Create ticket": "Crear ticket",
    "via %(channel)s": "por %(channel)s",
    "At most %(max)d characters.": "Como máximo %(max)d caracteres.",
    "Choose…": "Elija…",
    "Continue": "Continuar",
    "Please choose at least one option.": "Elija al menos una opción.",
    "Please choose one of the options.": "Elija una de las opciones.",
    "Please choose what your request is about.": "Elija de qué trata su solicitud.",
    "Please enter a date (year-month-day).": "Escriba una fecha (año-mes-día).",
    "Please enter a number, like 12 or 12.5.": "Escriba un número, como 12 o 12,5.",
    "Please enter a web address starting with https://.": "Escriba una dirección web que empiece por https://.",
    "Please tick this box to continue.": "Marque esta casilla para continuar.",
    "The smallest allowed value is %(n)s.": "El valor mínimo permitido es %(n)s.",
    "The largest allowed value is %(n)s.": "El valor máximo permitido es %(n)s.",
    "This field is required.": "Este campo es obligatorio.",
    "Yes": "Sí",
    "What is your request about?": "¿De qué trata su solicitud?",
    "Agents only": "Solo agentes",
    "Answer": "Respuesta",
    "Answers saved.": "Respuestas guardadas.",
    "Any answer": "Cualquier respuesta",
    "Any category": "Cualquier categoría",
    "Edit answers": "Editar respuestas",
    "Form answers": "Respuestas del formulario",
    "Save answers": "Guardar respuestas",
    "This ticket's category asks no questions.": "La categoría de este ticket no tiene preguntas.",
    "other category": "otra categoría",
    "retired": "retirado",
    "set the answer to “%(old)s” to: %(new)s": "fijó la respuesta a «%(old)s» en: %(new)s",
}


def main() -> None:
    """Fill translations/es/LC_MESSAGES/messages.po from ES, keeping any translation already there."""
    from pathlib import Path

    from babel.messages.pofile import read_po, write_po

    path = Path(__file__).resolve().parent.parent / "translations/es/LC_MESSAGES/messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if message.id in ES:
            message.string = ES[message.id]
            message.flags.discard("fuzzy")
        elif not message.string:
            missing.append(message.id)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=120)
    for msgid in missing:
        print(f"missing Spanish: {msgid!r}")


if __name__ == "__main__":
    main()
