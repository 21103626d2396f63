# The document's production environment: a NAT gateway per AZ, db.t3.medium Multi-AZ,
# 90-day logs, at least two tasks (both on regular Fargate), canary deployments.
#
#   cd terraform/environments/production
#   cp ../../terraform.tfvars.example terraform.tfvars   # and edit
#   terraform init -backend-config="bucket=STATE-BUCKET" -backend-config="region=REGION"
#   terraform plan -out plan && terraform apply plan
#
# See terraform/README.md and docs/operations.md ("First deploy").

terraform {
  # S3-native state locking (use_lockfile) needs Terraform 1.10.
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State in S3 with native locking; the bucket and region come from
  # -backend-config at init (terraform/README.md, "State").
  backend "s3" {
    key          = "plccoach/production/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "plccoach"
      Environment = "production"
      ManagedBy   = "terraform"
    }
  }
}

module "stack" {
  source = "../../stack"

  environment            = "production"
  name                   = "plccoach"
  log_name               = "plccoach"
  nat_gateway_count      = 2
  db_instance_class      = "db.t3.medium"
  db_multi_az            = true
  db_max_connections     = 400
  log_retention_days     = 90
  desired_count          = 2
  min_count              = 2
  max_count              = 6
  workers                = 28
  fargate_base           = 2
  fargate_spot_weight    = 1
  deployment_config_name = "CodeDeployDefault.ECSCanary10Percent5Minutes"

  alb_certificate_arn         = var.alb_certificate_arn
  api_origin_domain           = var.api_origin_domain
  aliases                     = var.aliases
  cloudfront_certificate_arn  = var.cloudfront_certificate_arn
  image_tag                   = var.image_tag
  app_environment             = var.app_environment
  alarm_email                 = var.alarm_email
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  origin_secret_active        = var.origin_secret_active
}
