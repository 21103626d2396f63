variable "name" {
  description = "Name prefix for the roles."
  type        = string
}

variable "secret_arns" {
  description = "The Secrets Manager secrets the task reads (database, application)."
  type        = list(string)
}

variable "secrets_kms_key_arn" {
  description = "The Secrets Manager KMS key."
  type        = string
}

variable "s3_kms_key_arn" {
  description = "The S3 KMS key (content and exports are SSE-KMS)."
  type        = string
}

variable "content_bucket_arn" {
  description = "The content bucket."
  type        = string
}

variable "exports_bucket_arn" {
  description = "The exports bucket."
  type        = string
}

variable "application_log_group_arn" {
  description = "/application/plccoach."
  type        = string
}
