variable "name" {
  description = "Name prefix: buckets are NAME-content-ACCOUNT and so on."
  type        = string
}

variable "s3_kms_key_arn" {
  description = "The S3 KMS key (SSE-KMS for content, exports and backups)."
  type        = string
}

variable "log_retention_days" {
  description = "Days the access logs (ALB, CloudFront, S3) are kept."
  type        = number
}
