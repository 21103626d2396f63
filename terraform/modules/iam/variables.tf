variable "name" {
  description = "Name prefix for the roles."
  type        = string
}

variable "secret_arns" {
  description = "The Secrets Manager secrets the service's tasks read (the application and migration roles' credentials, the API keys, the origin secret)."
  type        = list(string)
}

variable "master_secret_arn" {
  description = "The master user's credentials: the admin task's only."
  type        = string
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
