# Section 3 of the infrastructure document: RDS PostgreSQL 15 in the
# private subnets, gp3 storage growing from 100 GB to 1000 GB, Multi-AZ in
# production, KMS-encrypted, 30 days of backups (point-in-time recovery to
# about 5 minutes), pg_stat_statements preloaded.  The application does
# not use the master user: it connects as the application role and
# migrates as the migration role, whose credentials are written here too;
# `plccoach db-roles`, run once with the master credentials, creates both
# roles and the extensions (pgvector, pg_stat_statements).
#
# The engine version: the document says 15.4, whose pgvector (0.5) has
# neither halfvec nor hnsw.iterative_scan, which src/library/search.c sets
# on every connection; RDS ships pgvector 0.8 from 15.9 on.  So the version
# is the major "15" (RDS picks its current default minor) with automatic
# minor upgrades; see terraform/README.md.

resource "random_password" "db" {
  length  = 32
  special = true
  # RDS refuses '/', '@', '"' and spaces in a master password; keep
  # characters that need no quoting in a libpq connection string.
  override_special = "!#$%^&*()-_=+[]{}<>:?"
}

# The application's and the migration role's passwords (the roles
# themselves are created in PostgreSQL by `plccoach db-roles`, run once by
# an operator: docs/operations.md, "Database roles").
resource "random_password" "app" {
  length           = 32
  special          = true
  override_special = "!#$%^&*()-_=+[]{}<>:?"
}

resource "random_password" "migrate" {
  length           = 32
  special          = true
  override_special = "!#$%^&*()-_=+[]{}<>:?"
}

resource "aws_db_subnet_group" "main" {
  name       = "${var.name}-db"
  subnet_ids = var.private_subnet_ids

  tags = {
    Name = "${var.name}-db"
  }
}

resource "aws_db_parameter_group" "main" {
  name   = "${var.name}-postgres15"
  family = "postgres15"

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pg_stat_statements.track"
    value = "top"
  }

  # Pinned at or below RDS's own default for the class, so the budget
  # the stack checks (../../stack/main.tf) is against a known number, not
  # DBInstanceClassMemory, which AWS does not publish per class.  A
  # static parameter: applied at the next reboot.
  parameter {
    name         = "max_connections"
    value        = var.max_connections
    apply_method = "pending-reboot"
  }

  # Only TLS connections (libpq's default sslmode=prefer uses it).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Statements slower than 1 s go to the PostgreSQL log (exported to
  # CloudWatch Logs below, kept log_retention_days) ...
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  # ... without their bound parameters: e-mail addresses, names, token
  # hashes and questions are data, not diagnostics.
  parameter {
    name  = "log_parameter_max_length"
    value = "0"
  }

  parameter {
    name  = "log_parameter_max_length_on_error"
    value = "0"
  }
}

# The log groups RDS exports to, created here so that they have a
# retention (RDS would create them without one, kept forever).
resource "aws_cloudwatch_log_group" "exports" {
  for_each          = toset(["postgresql", "upgrade"])
  name              = "/aws/rds/instance/${var.name}-db/${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_db_instance" "main" {
  identifier     = "${var.name}-db"
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  allocated_storage     = 100
  max_allocated_storage = 1000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.rds_kms_key_arn

  db_name  = var.db_name
  username = var.db_username
  password = random_password.db.result
  port     = 5432

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [var.rds_security_group_id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.main.name

  backup_retention_period   = 30
  backup_window             = "03:00-04:00"
  maintenance_window        = "Mon:04:00-Mon:05:00"
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-db-final"
  delete_automated_backups  = false

  auto_minor_version_upgrade            = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.rds_kms_key_arn
  performance_insights_retention_period = 7
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  lifecycle {
    # Minor upgrades happen in the maintenance window; the password lives
    # in Secrets Manager from here on (docs/operations.md, "Secrets").
    ignore_changes = [engine_version, password]
  }

  tags = {
    Name = "${var.name}-db"
  }

  depends_on = [aws_cloudwatch_log_group.exports]
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id = var.db_secret_arn
  secret_string = jsonencode({
    username = aws_db_instance.main.username
    password = random_password.db.result
    host     = aws_db_instance.main.address
    port     = tostring(aws_db_instance.main.port)
    dbname   = aws_db_instance.main.db_name
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = var.db_app_secret_arn
  secret_string = jsonencode({
    username = var.app_username
    password = random_password.app.result
    host     = aws_db_instance.main.address
    port     = tostring(aws_db_instance.main.port)
    dbname   = aws_db_instance.main.db_name
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret_version" "migrate" {
  secret_id = var.db_migrate_secret_arn
  secret_string = jsonencode({
    username = var.migrate_username
    password = random_password.migrate.result
    host     = aws_db_instance.main.address
    port     = tostring(aws_db_instance.main.port)
    dbname   = aws_db_instance.main.db_name
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}
