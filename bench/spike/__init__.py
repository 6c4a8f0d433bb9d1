"""The layout spike: the phone screen built with gradio's own components and with
modelscope_studio, and `compare.py`, which measures both in Debian's chromium."""
