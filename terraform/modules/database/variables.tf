variable "name" {
  description = "Name prefix: the instance is NAME-db."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL version: the major 15, at RDS's current minor (pgvector 0.8 needs 15.9 or later)."
  type        = string
  default     = "15"
}

variable "instance_class" {
  description = "db.t3.medium in production, db.t3.small in staging."
  type        = string
}

variable "max_connections" {
  description = "PostgreSQL's max_connections, pinned (RDS's default is LEAST(DBInstanceClassMemory/9531392, 5000), about 410 on db.t3.medium): the stack checks the connection budget at full scale against it (docs/operations.md, \"Database connections\")."
  type        = number
}

variable "multi_az" {
  description = "A synchronous standby in the other AZ (production)."
  type        = bool
}

variable "db_name" {
  description = "The database."
  type        = string
  default     = "plccoach"
}

variable "db_username" {
  description = "The master user: for operators only (plccoach db-roles, psql, pg_dump)."
  type        = string
  default     = "plccoach_admin"
}

variable "private_subnet_ids" {
  description = "The private subnets (two AZs)."
  type        = list(string)
}

variable "rds_security_group_id" {
  description = "PostgreSQL from the ECS tasks only."
  type        = string
}

variable "rds_kms_key_arn" {
  description = "The RDS KMS key."
  type        = string
}

variable "db_secret_arn" {
  description = "The Secrets Manager secret that receives the credentials."
  type        = string
}

variable "app_username" {
  description = "The application role: reads and writes data, changes no schema."
  type        = string
  default     = "plccoach_app"
}

variable "migrate_username" {
  description = "The migration role: owns the schema, runs plccoach migrate."
  type        = string
  default     = "plccoach_migrate"
}

variable "db_app_secret_arn" {
  description = "The Secrets Manager secret that receives the application role's credentials."
  type        = string
}

variable "db_migrate_secret_arn" {
  description = "The Secrets Manager secret that receives the migration role's credentials."
  type        = string
}

variable "log_retention_days" {
  description = "Days the exported PostgreSQL logs are kept."
  type        = number
}
