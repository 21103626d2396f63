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

# The database roles the application uses instead of the master user
# (docs/operations.md, "Database roles"): the application's (data only) and
# the migration role's (owns the schema; `plccoach migrate`).  ../database
# writes their values ({username,password,host,port,dbname}, generated
# passwords); `plccoach db-roles`, run once by an operator with the master
# credentials, creates the roles with these passwords.  The master secret
# above stays for operators: no service task reads it.
resource "aws_secretsmanager_secret" "db_app" {
  name                    = "${var.name}-db-app"
  description             = "PostgreSQL credentials of the application role for ${var.name}: JSON {username,password,host,port,dbname}"
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret" "db_migrate" {
  name                    = "${var.name}-db-migrate"
  description             = "PostgreSQL credentials of the migration role for ${var.name}: JSON {username,password,host,port,dbname}"
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
}

# CloudFront's origin secret: CloudFront adds it to every request it sends
# to the ALB (X-Plccoach-Origin-Secret, ../cdn), nginx in the task refuses
# requests through the ALB without it (conf/nginx/fargate.conf).  Two
# values, "a" and "b": the tasks accept both (the secret holds them
# separated by a space), CloudFront sends the active one
# (var.origin_secret_active), so a rotation never refuses a request:
# replace the inactive one, redeploy, switch (docs/operations.md,
# "Secrets rotation").
resource "random_password" "origin" {
  for_each = toset(["a", "b"])
  length   = 48
  special  = false
}

resource "aws_secretsmanager_secret" "origin" {
  name                    = "${var.name}-origin-secret"
  description             = "The header values CloudFront may send to the ALB for ${var.name} (two, space-separated), checked by nginx in the task"
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "origin" {
  secret_id     = aws_secretsmanager_secret.origin.id
  secret_string = "${random_password.origin["a"].result} ${random_password.origin["b"].result}"
}
