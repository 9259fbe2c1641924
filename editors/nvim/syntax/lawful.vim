" Lawful syntax (regex highlighting; the language server adds semantic tokens).
" Nothing to do where tree-sitter highlights the buffer (ftplugin/lawful.lua starts it when the
" `lawful` parser is installed); the FileType autocommand that loads this file may run after it.
if exists('b:current_syntax') || luaeval('require("lawful.treesitter").active(_A)', bufnr(''))
  finish
endif
syntax match lawfulComment /#.*$/ contains=@Spell
syntax region lawfulString start=/"""/ end=/"""/
syntax region lawfulString start=/"/ skip=/\\./ end=/"\|$/ contains=lawfulEscape
syntax match lawfulEscape /\\./ contained
syntax match lawfulDate /\<\d\{4}-\d\{2}-\d\{2}\(T\d\{2}:\d\{2}\(:\d\{2}\)\=\(Z\|[+-]\d\{2}:\d\{2}\)\=\)\=/
syntax match lawfulNumber /\<\d\+\>/
syntax match lawfulDecl /^\s*\(controller\|party\|activity\|data\|subjects\|purpose\|system\|country\|breach\)\>\ze\s\+\a/ nextgroup=lawfulName skipwhite
syntax match lawfulName /\a[A-Za-z0-9_-]*/ contained
syntax match lawfulAllow /\<allow\>\ze\s\+\a\d\{3}/ nextgroup=lawfulCode skipwhite
syntax match lawfulCode /\a\d\{3}\>/ contained
syntax match lawfulKey /\(^\|[{;]\)\s*\zs\l[a-z0-9-]*/ contains=lawfulAllow
highlight default link lawfulComment Comment
highlight default link lawfulString String
highlight default link lawfulEscape SpecialChar
highlight default link lawfulDate Number
highlight default link lawfulNumber Number
highlight default link lawfulDecl Keyword
highlight default link lawfulName Type
highlight default link lawfulAllow PreProc
highlight default link lawfulCode Constant
highlight default link lawfulKey Identifier
let b:current_syntax = 'lawful'
