"""What a visitor reads: the bilingual strings (`strings`), what a failure or refusal says
(`advice`), what is said about conversation files (`files`), and Markdown shown inert.

Every Chinese or English sentence a visitor reads is written here; the other packages pass
codes and values. Imports nothing else from `ui`.
"""
