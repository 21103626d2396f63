# Staging, the document's cost-savings settings: one NAT gateway, db.t3.small single-AZ,
# fewer tasks (mostly on Fargate Spot), 30-day logs, all-at-once deployments.
#
#   cd terraform/environments/staging
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
    key          = "plccoach/staging/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "plccoach"
      Environment = "staging"
      ManagedBy   = "terraform"
    }
  }
}

module "stack" {
  source = "../../stack"

  environment            = "staging"
  name                   = "plccoach-staging"
  log_name               = "plccoach/staging"
  nat_gateway_count      = 1
  db_instance_class      = "db.t3.small"
  db_multi_az            = false
  db_max_connections     = 190
  log_retention_days     = 30
  desired_count          = 1
  min_count              = 1
  max_count              = 2
  workers                = 28
  fargate_base           = 0
  fargate_spot_weight    = 3
  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

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
