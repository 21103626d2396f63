# Section 10 of the infrastructure document: Secrets Manager, encrypted
# with the Secrets KMS key.  The database secret's value
# ({username,password,host,port,dbname}, with a generated 32-character
# password) is written by ../database, which creates the instance it
# describes.  The application secret holds the API keys and OIDC client
# secrets; Terraform creates it with every key empty and never overwrites
# what an operator puts there (docs/operations.md, "Secrets").

resource "aws_secretsmanager_secret" "db" {
  name                    = "${var.name}-db-password"
  description             = "PostgreSQL credentials for ${var.name}: JSON {username,password,host,port,dbname}"
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.name}-app"
  description             = "API keys and OIDC client secrets for ${var.name}, one JSON key per environment variable"
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "app_initial" {
  secret_id     = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({ for k in var.app_secret_keys : k => "" })

  lifecycle {
    ignore_changes = [secret_string]
  }
}
