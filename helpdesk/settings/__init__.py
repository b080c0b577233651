"""Settings an owner changes in the browser (company, branding, email sending): stored rows, read through app.config."""
