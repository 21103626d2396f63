variable "name" {
  description = "Name prefix: the repository is NAME/api."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the repository (the S3 key)."
  type        = string
}
