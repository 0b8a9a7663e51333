# conf.py: values every pasted model of the site uses but cannot know (data it loads), by name
# or by the expression the code writes; a page's :define: adds to them and wins
lstmparams_define = {"vocab_size": 10_000, "len(tokenizer.word_index) + 1": 10_000}
