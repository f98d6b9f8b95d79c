"""Serve the application on 127.0.0.1: ``python serve.py PORT``."""

import sys

import uvicorn

if __name__ == "__main__":
    uvicorn.run("flightapp.main:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
