" Lawful policy files.
autocmd BufRead,BufNewFile *.lawful setfiletype lawful
