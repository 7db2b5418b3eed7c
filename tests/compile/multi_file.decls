# Declarations for multi_file.sf (not a test by itself).
aws { account "123456789012" region "us-east-1" }
lambda shared_worker = "shared-worker"
event SharedDone { source "acme.shared" detail-type "Shared Done" }
