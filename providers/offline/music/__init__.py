"""The offline music engines: a prompt read into a plan, arranged and rendered; picture-led
songs; a song continued in its own key and tempo (docs/offline.md)."""
