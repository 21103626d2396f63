variable "name" {
  description = "Name prefix."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "public_subnet_ids" {
  description = "The public subnets (two AZs)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "HTTPS from CloudFront only."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate (in the ALB's region) for the HTTPS listener."
  type        = string
}

variable "logs_bucket" {
  description = "The bucket of access logs (../storage): the ALB writes under alb/."
  type        = string
}
