# conf.py: read back the summaries pasted as literal blocks (model.summary(), torchinfo,
# torchsummary) and warn where their numbers disagree; the pages stay the same
lstmparams_check_printed = True
