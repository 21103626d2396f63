variable "name" {
  type = string
}

variable "frontend_bucket" {
  type = string
}

variable "frontend_bucket_arn" {
  type = string
}

variable "frontend_bucket_regional_domain_name" {
  type = string
}

variable "api_origin_domain" {
  description = "The ALB's name as its certificate covers it (api.example.org, a CNAME or alias to the ALB): CloudFront checks the origin's certificate against it."
  type        = string
}

variable "aliases" {
  description = "The site's own names (app.example.org); empty: the cloudfront.net name only."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 for the aliases (empty: CloudFront's default certificate)."
  type        = string
  default     = ""
}

variable "origin_secret" {
  description = "X-Plccoach-Origin-Secret, sent with every request to the ALB (../secrets)."
  type        = string
  sensitive   = true
}

variable "logs_bucket_domain_name" {
  description = "The logs bucket (../storage), for standard logging."
  type        = string
}
