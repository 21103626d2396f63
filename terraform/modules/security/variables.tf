variable "name" {
  description = "Name prefix for every resource."
  type        = string
}

variable "vpc_id" {
  description = "The VPC the security groups belong to."
  type        = string
}
