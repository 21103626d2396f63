variable "name" {
  description = "Name prefix for the secrets."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "The Secrets Manager KMS key."
  type        = string
}

variable "app_secret_keys" {
  description = "Keys of the application secret: each becomes the environment variable of the same name in the task."
  type        = list(string)
  default = [
    "PLCCOACH_LLM_API_KEY",
    "PLCCOACH_EMBEDDINGS_API_KEY",
    "PLCCOACH_OIDC_GOOGLE_CLIENT_SECRET",
    "PLCCOACH_OIDC_CLEVER_CLIENT_SECRET",
    "PLCCOACH_OIDC_GENERIC_CLIENT_SECRET",
  ]
}

variable "origin_secret_active" {
  description = "Which of the two origin secrets CloudFront sends: a or b."
  type        = string
  default     = "a"

  validation {
    condition     = contains(["a", "b"], var.origin_secret_active)
    error_message = "origin_secret_active must be a or b."
  }
}
