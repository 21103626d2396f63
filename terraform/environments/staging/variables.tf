# Set in terraform.tfvars (terraform/terraform.tfvars.example).

variable "aws_region" {
  description = "The region of everything but CloudFront's certificate."
  type        = string
  default     = "us-east-1"
}

variable "alb_certificate_arn" {
  description = "ACM certificate (this region) for the ALB's HTTPS listener, covering api_origin_domain."
  type        = string
}

variable "api_origin_domain" {
  description = "A name for the ALB that its certificate covers (api.example.org, an alias record to the ALB)."
  type        = string
}

variable "aliases" {
  description = "The site's names on CloudFront (app.example.org); empty: the cloudfront.net name."
  type        = list(string)
  default     = []
}

variable "cloudfront_certificate_arn" {
  description = "ACM certificate in us-east-1 covering the aliases (empty with no aliases)."
  type        = string
  default     = ""
}

variable "image_tag" {
  description = "API image tag for the first task definition."
  type        = string
  default     = "latest"
}

variable "app_environment" {
  description = "Extra PLCCOACH_* settings for the tasks (docs/configuration.md); secrets go in the app secret instead."
  type        = map(string)
  default     = {}
}

variable "alarm_email" {
  description = "An address subscribed to the alarms topic (empty: none)."
  type        = string
  default     = ""
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows deploy."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "false when another environment in the same account already created GitHub's OIDC provider."
  type        = bool
  default     = true
}

variable "origin_secret_active" {
  description = "Which of the two CloudFront origin secrets CloudFront sends: a or b (rotation: docs/operations.md)."
  type        = string
  default     = "a"
}
