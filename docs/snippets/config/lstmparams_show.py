# conf.py: only the answer and the notes, wherever a page does not say :show:
lstmparams_show = ["answer", "notes"]
