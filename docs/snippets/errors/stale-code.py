# conf.py: read back every summary pasted as a literal block, and check it
lstmparams_check_printed = True
