"""Telling people (requirements M2): each user's inbox of notifications and due work, and mail.
"""
