"""The reference iART server (optional extra ``sandbox``); the app itself never imports it."""
