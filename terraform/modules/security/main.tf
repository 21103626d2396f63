# Section 7 of the infrastructure document: the three security groups and
# the three KMS keys (RDS, S3, Secrets Manager) with automatic annual
# rotation.  The IAM roles are in ../iam and ../github_oidc.
#
# One change from the document: the ALB takes HTTPS from CloudFront's
# origin-facing addresses only (AWS's managed prefix list), not from
# 0.0.0.0/0.  Every request reaches the API through CloudFront (../cdn),
# and nginx in the task believes the viewer address CloudFront sends only
# from the ALB (conf/nginx/fargate.conf); the origin secret closes the
# rest (other CloudFront distributions).  No port 80: CloudFront reaches
# the ALB over HTTPS only, and the prefix list counts as about 55 rules
# against the group's 60, so it fits once.

data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "ALB: HTTPS from CloudFront only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "HTTPS from CloudFront's origin-facing servers"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [data.aws_ec2_managed_prefix_list.cloudfront.id]
  }

  egress {
    description = "All traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.name}-alb"
  }
}

resource "aws_security_group" "ecs_tasks" {
  name        = "${var.name}-ecs-tasks"
  description = "ECS tasks: nginx on 8000 from the ALB only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "nginx in the task, from the ALB"
    from_port       = 8000
    to_port         = 8000
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  egress {
    description = "All traffic (RDS, AWS APIs and the model service through the NAT gateways)"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.name}-ecs-tasks"
  }
}

resource "aws_security_group" "rds" {
  name        = "${var.name}-rds"
  description = "RDS: PostgreSQL from the ECS tasks only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "PostgreSQL from the ECS tasks"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.ecs_tasks.id]
  }

  egress {
    description = "All traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.name}-rds"
  }
}

# ---- KMS --------------------------------------------------------------------
# The default key policy (the account's root, and through it IAM policies)
# is enough: the roles in ../iam are granted exactly the keys they need.

resource "aws_kms_key" "rds" {
  description             = "${var.name}: RDS PostgreSQL storage, snapshots and Performance Insights"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "rds" {
  name          = "alias/${var.name}-rds"
  target_key_id = aws_kms_key.rds.key_id
}

resource "aws_kms_key" "s3" {
  description             = "${var.name}: the content, exports and backups buckets, and ECR"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "s3" {
  name          = "alias/${var.name}-s3"
  target_key_id = aws_kms_key.s3.key_id
}

resource "aws_kms_key" "secrets" {
  description             = "${var.name}: Secrets Manager"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}
