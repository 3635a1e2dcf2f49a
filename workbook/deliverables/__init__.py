"""deliverables"""
