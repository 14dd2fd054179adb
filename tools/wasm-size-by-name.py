#!/usr/bin/env python3
"""Where the page's Wasm bytes go: code size per function (from the name section
of the unoptimised build cargo-leptos leaves in target/front/…/app.wasm), the
largest functions, and totals for functions whose name contains a keyword.

    python3 tools/wasm-size-by-name.py target/front/wasm32-unknown-unknown/wasm-release/app.wasm
"""
import sys, re, collections
data=open(sys.argv[1],'rb').read()
def leb(b,i):
    r=0;s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80: return r,i
i=8; sections=[]
n_imports_funcs=0
code=None;names={}
while i<len(data):
    sid=data[i];i+=1
    size,i=leb(data,i)
    body=data[i:i+size]
    if sid==2:
        j=0;cnt,j=leb(body,j)
        for _ in range(cnt):
            l,j=leb(body,j);j+=l
            l,j=leb(body,j);j+=l
            kind=body[j];j+=1
            if kind==0: _,j=leb(body,j);n_imports_funcs+=1
            elif kind==1: j+=1; fl,j=leb(body,j); _,j=leb(body,j); 
            elif kind==2: fl,j=leb(body,j); _,j=leb(body,j); 
            elif kind==3: j+=2
    if sid==10:
        j=0;cnt,j=leb(body,j);code=[]
        for _ in range(cnt):
            l,j=leb(body,j);code.append(l);j+=l
    if sid==0:
        j=0;l,j=leb(body,j);nm=body[j:j+l].decode();j+=l
        if nm=='name':
            while j<len(body):
                sub=body[j];j+=1;sl,j=leb(body,j);end=j+sl
                if sub==1:
                    cnt,k=leb(body,j)
                    for _ in range(cnt):
                        idx,k=leb(body,k);l,k=leb(body,k);names[idx]=body[k:k+l].decode('utf8','replace');k+=l
                j=end
    sections.append((sid,size))
    i+=size
print("sections",[(s,z) for s,z in sections])
top=[(sz, names.get(n + n_imports_funcs, "?")) for n, sz in enumerate(code)]
print("top functions")
for sz,n in sorted(top,reverse=True)[:25]: print(sz,n[:150])
print("--- by keyword")
keys=['serde_json','gloo_net','http','contract','feedback','rating','flt2dec','ryu','scoring','tachys','leptos','reactive_graph','serde','js_sys','web_sys','wasm_bindgen','futures','dlmalloc','core','alloc','std','app','import','report_view','text_input','fmt','Deserial','Serial']
tot=sum(code)
print("total code",tot)
for k in keys:
    s=sum(sz for sz,n in top if k in n)
    print(f"{s:9d} {k}")
