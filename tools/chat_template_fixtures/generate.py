#!/usr/bin/env python3
"""Renders Jinja snippets and the shared real chat templates with the reference Jinja2 library,
set up the way Hugging Face's apply_chat_template sets it up, and writes the results as test
fixtures for tests/inference/chat (our own interpreter must match them byte for byte).

Dev-time only: `pip install jinja2`, then
    python3 tools/chat_template_fixtures/generate.py [--testdata ../shared/testdata]
"""
import argparse
import json
import os
from datetime import datetime

import jinja2
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

DATE = datetime(2026, 1, 15, 9, 5, 7)
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "tests", "inference", "chat", "fixtures")


class GenerationTracker(Extension):
    """Hugging Face's AssistantTracker: {% generation %}...{% endgeneration %} renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.Scope(body).set_lineno(lineno)


class TemplateError(Exception):
    pass


def environment():
    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return DATE.strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(source, variables):
    try:
        text = environment().from_string(source).render(**variables)
        return {"ok": True, "text": text}
    except Exception as e:  # the reference failed: we must fail too
        return {"ok": False, "text": f"{type(e).__name__}: {e}"}


# Snippets: (name, template, variables). Each exercises one feature the way real templates use it.
SNIPPETS = [
    # whitespace control, trim_blocks, lstrip_blocks
    ("ws_trim_blocks", "{% if true %}\nA\n{% endif %}\nB\n", {}),
    ("ws_lstrip_blocks", "  {% if true %}\n  x\n  {% endif %}\n  {{ 1 }}\n", {}),
    ("ws_minus", "a   {%- if true -%}   b   {%- endif -%}   c", {}),
    ("ws_plus", "  {%+ if true %}x{% endif %}\n", {}),
    ("ws_var_minus", "a \n {{- 'b' -}} \n c", {}),
    ("ws_comment", "a\n  {# note #}\nb {#- x -#} c", {}),
    ("ws_trailing_newline_dropped", "x\n", {}),
    ("ws_crlf", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n", {}),
    ("ws_raw", "{% raw %}{{ not rendered }}{% endraw %}", {}),
    ("ws_block_after_text", "text {% if true %}\n  y\n{% endif %}", {}),
    # literals and printing like Python
    ("print_values", "{{ none }}|{{ true }}|{{ 1.0 }}|{{ 1e20 }}|{{ 1.5e-7 }}|{{ 0.1 + 0.2 }}|{{ [1, 'a', none, true, 2.5] }}|{{ {'k': [1, {'x': 'y'}]} }}|{{ (1,) }}|{{ (1, 'b') }}", {}),
    ("print_string_repr", "{{ ['it\\'s', 'say \"hi\"', 'both \\' \"', 'tab\\tnl\\n', 'é✓'] }}", {}),
    ("print_undefined", "[{{ nothing }}][{{ m.missing }}]", {"m": {}}),
    ("string_escapes", "{{ 'a\\nb\\tc\\\\d\\u00e9\\x41' }}|{{ \"q'q\" }}|{{ 'con' 'cat' }}", {}),
    # arithmetic
    ("math", "{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 1 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 3 * 1.5 }} {{ true + 1 }} {{ 10 - 2 - 3 }} {{ -3 ** 2 }}", {}),
    ("concat", "{{ 'a' ~ 1 ~ none ~ true ~ [1] }}|{{ 'ab' * 3 }}|{{ [1, 2] * 2 }}|{{ [1] + [2] }}|{{ 'x' + 'y' }}", {}),
    ("precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 'a' ~ (1 + 2) }} {{ (1 + 2) ~ 'a' }} {{ 2 ~ 3 * 2 }} {{ not true or true }} {{ not (true or true) }} {{ 1 if false else 2 if true else 3 }}", {}),
    ("comparisons", "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ 2 >= 2 }} {{ none == none }} {{ {'a': 1} == {'a': 1} }}", {}),
    ("in_operator", "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'abc' }} {{ 'x' in missing }}", {}),
    ("and_or_values", "{{ 0 or 'x' }}|{{ 'a' and 'b' }}|{{ '' and 'b' }}|{{ none or [] }}", {}),
    ("cond_expr_no_else", "[{{ 'yes' if false }}]", {}),
    # subscripts and slices
    ("slices", "{{ [1,2,3,4,5][1:3] }} {{ [1,2,3,4,5][::-1] }} {{ [1,2,3,4,5][::2] }} {{ [1,2,3,4,5][-2:] }} {{ 'hello'[1:-1] }} {{ 'héllo'[::-1] }} {{ [1,2,3][5:] }} {{ 'abc'[-10:2] }} {{ [1,2,3,4,5][4:0:-2] }}", {}),
    ("subscripts", "{{ m['a'] }} {{ m.a }} {{ l[0] }} {{ l[-1] }} {{ l.0 }} {{ 'abc'[1] }} [{{ l[10] }}] [{{ m['zz'] }}]", {"m": {"a": "A"}, "l": [10, 20]}),
    ("subscript_edge_cases", "[{{ 5[0] }}][{{ 'abc'[1.5] }}]{{ [1, 2][true] }}{{ 'x'.y is defined }}{{ (1, 2).count(1) }}[{{ loop }}]{% for x in 'ab' %}{{ loop }}{% endfor %}", {}),
    ("number_edge_cases", "{{ 10 / 4 * 2 }} {{ '%s' % none }} {{ '%d%%' % 5 }} {{ 1e3 }} {{ 1_000 }} {{ 0x10 }} {{ 0b101 }} {{ 0o17 }} {{ 1.5e3 | int }} {{ -0.0 }} {{ 2 ** 0.5 }} {{ 7 % 2.5 }} {{ -7 // 2.0 }} {{ 'a' < 'B' }} {{ [] is sameas [] }}", {}),
    ("dict_method_vs_key", "{{ m.items() | list }} {{ m['items'] }} {{ m.get('a') }} {{ m.get('q', 'dflt') }} {{ m.keys() | list }} {{ m.values() | list }}", {"m": {"a": 1, "items": "I"}}),
    # statements
    ("for_loop_vars", "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}[{{ loop.previtem }}|{{ loop.nextitem }}]{{ x }};{% endfor %}", {}),
    ("for_else", "{% for x in [] %}{{ x }}{% else %}empty{% endfor %}|{% for x in [1] %}{{ x }}{% else %}empty{% endfor %}", {}),
    ("for_filter", "{% for x in range(10) if x is odd %}{{ x }}:{{ loop.index }}/{{ loop.length }} {% endfor %}", {}),
    ("for_unpack", "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [[1, 2], (3, 4)] %}{{ a + b }}{% endfor %}", {}),
    ("for_dict_and_string", "{% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %}|{% for c in 'héj' %}[{{ c }}]{% endfor %}", {}),
    ("for_nested_loop", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("loop_controls", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", {}),
    ("loop_cycle", "{% for x in range(5) %}{{ loop.cycle('a', 'b') }}{% endfor %}", {}),
    ("loop_scoping", "{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = i + 5 %}{{ x }}{% endfor %}{{ x }}", {}),
    ("loop_scoping_fresh", "{% for i in [1, 2] %}[{{ y }}]{% set y = i %}{% endfor %}", {}),
    ("if_scoping_leaks", "{% if true %}{% set z = 3 %}{% endif %}{{ z }}", {}),
    ("if_elif_else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}", {}),
    ("namespace", "{% set ns = namespace(count=0, found=false) %}{% for x in [1, 2, 3] %}{% set ns.count = ns.count + x %}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }}", {}),
    ("namespace_list_concat", "{% set ns = namespace(items=[]) %}{% for x in 'abc' %}{% set ns.items = ns.items + [x | upper] %}{% endfor %}{{ ns.items }}", {}),
    ("set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = 1, 2 %}{{ t }}", {}),
    ("set_block", "{% set body %}\n  hello {{ name }}\n{% endset %}[{{ body }}]{% set up | upper %}x{% endset %}{{ up }}", {"name": "N"}),
    ("set_overrides_variable", "{% set messages = messages[1:] %}{{ messages | length }}", {"messages": [1, 2, 3]}),
    ("macro_defaults", "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C', punct='.') }}", {}),
    ("macro_recursion", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n }}*{{ fact(n - 1) }}{% endif %}{% endmacro %}{{ fact(5) }}", {}),
    ("macro_sees_globals", "{% set g = 'G' %}{% macro m() %}{{ g }}{{ bos_token }}{% endmacro %}{{ m() }}", {"bos_token": "<s>"}),
    ("macro_call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}inner {{ 1 + 1 }}{% endcall %}", {}),
    ("macro_call_block_args", "{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(x) each([1, 2]) %}({{ x }}){% endcall %}", {}),
    ("filter_block", "{% filter upper %}shout {{ 'it' }}{% endfilter %}|{% filter trim | title %}  two words  {% endfilter %}", {}),
    ("with_block", "{% with a = 1, b = 'x' %}{{ a }}{{ b }}{% endwith %}[{{ a }}]", {}),
    ("generation_tag", "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}|{% endfor %}", {"messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]}),
    # tests
    ("tests_types", "{{ 1 is number }}{{ true is number }}{{ 1 is integer }}{{ true is integer }}{{ 1.0 is float }}{{ 'a' is string }}{{ {} is mapping }}{{ [] is iterable }}{{ 'a' is iterable }}{{ 1 is iterable }}{{ [] is sequence }}{{ none is none }}{{ true is boolean }}{{ true is true }}{{ false is false }}{{ 0 is false }}{{ x is defined }}{{ x is undefined }}{{ range is callable }}", {}),
    ("tests_numbers", "{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(2) }}{{ 2 is eq 2 }}{{ 2 is equalto 3 }}{{ 3 is gt 2 }}{{ 3 is lt 2 }}{{ 1 is in [1] }}{{ 'ab' is lower }}{{ 'AB' is upper }}{{ none is sameas none }}", {}),
    ("tests_not", "{{ x is not defined }} {{ 1 is not string }} {{ not x is defined }}", {}),
    # string methods
    ("str_strip", "[{{ '  a b  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n\\nab\\n'.lstrip('\\n') }}][{{ 'ab  '.rstrip() }}][{{ '<a>'.strip('<>') }}]", {}),
    ("str_split", "{{ 'a b  c'.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a,b,c'.split(',', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ '  x  y '.split(None, 1) }} {{ 'x</think>y</think>z'.split('</think>')[-1] }}", {}),
    ("str_predicates", "{{ 'hello'.startswith('he') }}{{ 'hello'.startswith(('x', 'h')) }}{{ 'hello'.endswith('lo') }}{{ '123'.isdigit() }}{{ 'ab'.isalpha() }}{{ ' '.isspace() }}", {}),
    ("str_case", "{{ 'hello wORLD'.upper() }} {{ 'HeLLo'.lower() }} {{ 'hello wORLD it\\'s'.title() }} {{ 'hELLO'.capitalize() }} {{ 'ÉCOLE'.lower() }} {{ 'straße'.upper() }}", {}),
    ("str_find_replace", "{{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.find('z') }} {{ 'héllo'.find('l') }} {{ 'aaa'.replace('a', 'b') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'banana'.count('an') }}", {}),
    ("str_join_format", "{{ ', '.join(['a', 'b']) }} {{ '{} and {}'.format('x', 1) }} {{ '{0}{0}{name}'.format('r', name='n') }} {{ '%s is %d' % ('x', 3) }} {{ '%.2f' % 3.14159 }} {{ '%5s|%-4d|' % ('ab', 7) }}", {}),
    ("str_misc", "{{ 'ab'.center(6, '*') }} {{ '42'.zfill(5) }} {{ 'a-b-c'.partition('-') }} {{ 'ab\\ncd\\n'.splitlines() }} {{ 'x'.ljust(3) }}|", {}),
    # filters
    ("filter_trim_case", "[{{ '  a  ' | trim }}][{{ 'xax' | trim('x') }}][{{ 'abc' | upper }}][{{ 'ABC' | lower }}][{{ 'hello-world foo(bar)' | title }}][{{ 'hELLO wORLD' | capitalize }}]", {}),
    ("filter_length", "{{ [1, 2] | length }} {{ 'héllo' | length }} {{ {'a': 1} | count }} {{ missing | length }}", {}),
    ("filter_join_first_last", "{{ [1, 2, 3] | join('-') }} {{ ['a', 'b'] | join }} {{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} {{ 'abc' | first }} {{ users | join(', ', attribute='name') }}", {"users": [{"name": "x"}, {"name": "y"}]}),
    ("filter_default", "[{{ missing | default('d') }}][{{ '' | default('d') }}][{{ '' | default('d', true) }}][{{ none | d('n') }}][{{ 0 | d(5, boolean=true) }}]", {}),
    ("filter_items_dictsort", "{{ {'b': 1, 'a': 2} | items | list }} {{ {'b': 1, 'a': 2, 'C': 0} | dictsort }} {{ {'b': 1, 'a': 2} | dictsort(by='value', reverse=true) }}", {}),
    ("filter_select", "{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }} {{ msgs | rejectattr('role', 'eq', 'user') | list | length }} {{ [1, 2, 3, 4] | select('even') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ [1, 2, 3] | reject('odd') | list }} {{ msgs | selectattr('tool') | list }}", {"msgs": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "tool": True}, {"role": "user", "content": "c"}]}),
    ("filter_map", "{{ ['a', 'b'] | map('upper') | list }} {{ [' a ', 'b '] | map('trim') | join('|') }} {{ [{'x': {'y': 1}}, {'x': {'y': 2}}] | map(attribute='x.y') | list }} {{ [{}, {'k': 1}] | map(attribute='k', default=0) | list }} {{ [1, 2] | map('string') | list }}", {}),
    ("filter_numbers", "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int(7) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 'x' | float }} {{ -3 | abs }} {{ 2.567 | round(2) }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(method='floor') }}", {}),
    ("filter_list_reverse_sort", "{{ 'abc' | list }} {{ [3, 1, 2] | reverse | list }} {{ 'abc' | reverse }} {{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | sort(reverse=true) }} {{ users | sort(attribute='age') | map(attribute='n') | list }}", {"users": [{"n": "a", "age": 30}, {"n": "b", "age": 20}]}),
    ("filter_unique_min_max_sum", "{{ [1, 2, 1, 'A', 'a'] | unique | list }} {{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }} {{ [1, 2, 3] | sum }} {{ [{'v': 2}, {'v': 3}] | sum(attribute='v') }} {{ ['b', 'A'] | max }}", {}),
    ("filter_string_safe", "{{ 1 | string }} {{ none | string }} {{ [1] | string }} {{ '<b>' | safe }} {{ '<a href=\"x\">&</a>' | e }}", {}),
    ("filter_replace_indent", "{{ 'aXbX' | replace('X', '-') }} {{ 'aaa' | replace('a', 'b', 1) }}|{{ 'l1\\nl2\\n\\nl3' | indent(2) }}|{{ 'l1\\nl2' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(2, blank=true) }}|{{ 'x' | indent('> ', first=true) }}", {}),
    ("filter_format_wordcount", "{{ '%s-%s' | format('a', 'b') }} {{ 'one two  three' | wordcount }} {{ 'abc' | center(7) }}|", {}),
    ("filter_batch_groupby", "{{ [1, 2, 3, 4, 5] | batch(2) | list }} {% for g in people | groupby('city') %}{{ g.grouper }}:{{ g.list | map(attribute='n') | join(',') }};{% endfor %}", {"people": [{"n": "a", "city": "X"}, {"n": "b", "city": "W"}, {"n": "c", "city": "X"}]}),
    ("filter_truncate", "{{ 'hello world foo bar' | truncate(9, leeway=0) }} {{ 'hello world' | truncate(9, true, leeway=0) }} {{ 'short' | truncate(9) }}", {}),
    ("filter_falsy_inputs", "{{ none | selectattr('a') | list }}{{ none | map(attribute='a') | list }}{{ '' | select | list }}{{ missing | reject | list }}{{ 0 | map('string') | list }}", {}),
    ("generators_are_true_and_run_once", "{% if [] | select %}always{% endif %}|{% set g = xs | select %}{% for x in g %}{{ x }}{% endfor %}|{% for x in g %}{{ x }}{% endfor %}|{{ xs | select | list | length }}|{{ xs | map('string') | join('+') }}|{{ xs | reverse | list }}|{{ (xs | unique | first) }}|{{ 2 in (xs | select) }}", {"xs": [1, 2, 3]}),
    ("dict_views", "{{ d.items() }} {{ d.keys() }} {{ d.values() }} {{ d.keys() | list }} {% if d.keys() %}t{% endif %}{% if {}.keys() %}f{% endif %} {{ d.items() | length }} {{ 'a' in d.keys() }}", {"d": {"a": 1, "b": [2]}}),
    ("error_generator_length", "{{ xs | select | length }}", {"xs": [1]}),
    ("error_generator_tojson", "{{ xs | map('string') | tojson }}", {"xs": [1]}),
    ("error_dict_view_tojson", "{{ d.items() | tojson }}", {"d": {"a": 1}}),
    ("filter_attr", "{{ m | attr('items') is callable }} [{{ m | attr('zzz') }}]", {"m": {"a": 1}}),
    # tojson like Hugging Face (ensure_ascii=False)
    ("tojson_basic", "{{ {'a': 1, 'b': [true, none, 1.5, 'é\"\\\\\\n\\t\\u0001'], 'c': {}} | tojson }}", {}),
    ("tojson_indent", "{{ tools | tojson(indent=4) }}|{{ [] | tojson(indent=2) }}|{{ {'a': []} | tojson(indent=2) }}", {"tools": [{"type": "function", "function": {"name": "get_weather", "description": "Get the weather ☀", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}),
    ("tojson_options", "{{ {'b': 1, 'a': [1, 2]} | tojson(separators=(',', ':')) }} {{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }} {{ 'é' | tojson(ensure_ascii=true) }} {{ {1: 'int key', 2.5: 'f', true: 'b', none: 'n'} | tojson }}", {}),
    ("tojson_numbers", "{{ [1, 1.0, 0.1, 1e100, -0.0, 123456789012345678] | tojson }}", {}),
    ("tojson_slice_trick", "{% set out = {'name': 'f', 'arguments': {'x': 1}} | tojson %}{{ out[:-1] }}, \"id\": \"abc\"}", {}),
    # globals
    ("globals_range_dict", "{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }} {{ dict(a=1, b='x') }}", {}),
    ("strftime_now", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%B %d, %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S') }}|{{ strftime_now('%A %a %y %m %j %p %I') }}|{{ strftime_now('%-d %-m') }}|{{ strftime_now('100%%') }}", {}),
    ("joiner", "{% set sep = joiner(', ') %}{% for x in [1, 2, 3] %}{{ sep() }}{{ x }}{% endfor %}", {}),
    # messages with extra fields, the way real templates walk them
    ("messages_tool_calls", "{% for m in messages %}{% if m.tool_calls %}{% for tc in m.tool_calls %}{{ tc.function.name }}({{ tc.function.arguments | tojson }}){% endfor %}{% elif m.content is string %}{{ m.role }}: {{ m.content }}{% endif %}\n{% endfor %}", {"messages": [{"role": "user", "content": "w?"}, {"role": "assistant", "content": None, "tool_calls": [{"type": "function", "function": {"name": "get", "arguments": {"city": "Paris", "n": 2}}}]}, {"role": "tool", "content": "{\"t\": 20}"}]}),
    ("messages_content_parts", "{% for m in messages %}{% if m.content is string %}{{ m.content }}{% else %}{% for p in m.content %}{% if p.type == 'text' %}{{ p.text }}{% endif %}{% endfor %}{% endif %}{% endfor %}", {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi "}, {"type": "image"}, {"type": "text", "text": "there"}]}]}),
    # errors the reference raises: we must raise too
    ("error_concat_binds_tighter_than_plus", "{{ 'a' ~ 1 + 2 }}", {}),
    ("error_unknown_filter_in_loop", "{% for x in [] %}{{ x | no_such_filter }}{% endfor %}", {}),
    ("unknown_filter_in_cond_expr", "{{ (x | no_such_filter) if false else 'ok' }}", {}),
    ("error_raise_exception", "{{ raise_exception('Only user and assistant roles are supported!') }}", {}),
    ("error_undefined_attribute_chain", "{{ missing.attr }}", {}),
    ("error_undefined_nested", "{{ m.a.b }}", {"m": {}}),
    ("error_none_iterate", "{% for t in tools %}{{ t }}{% endfor %}", {"tools": None}),
    ("error_str_plus_int", "{{ 'a' + 1 }}", {}),
    ("error_undefined_plus", "{{ missing + 'x' }}", {}),
    ("error_list_append", "{% set l = [] %}{{ l.append(1) }}", {}),
    ("error_dict_update", "{% set d = {} %}{{ d.update({'a': 1}) }}", {}),
    ("error_unknown_filter", "{{ 'x' | no_such_filter }}", {}),
    ("error_unknown_test", "{{ 'x' is no_such_test }}", {}),
    ("error_unknown_filter_unreached", "{% if false %}{{ 'x' | no_such_filter }}{% endif %}", {}),
    ("error_syntax_unclosed", "{% if true %}x", {}),
    ("error_syntax_bad_tag", "{% frobnicate %}", {}),
    ("error_division_by_zero", "{{ 1 / 0 }}", {}),
    ("error_call_undefined", "{{ nope() }}", {}),
    ("error_in_none", "{{ 'a' in none }}", {}),
    ("error_compare_types", "{{ 1 < 'a' }}", {}),
    ("error_items_on_list", "{{ [1] | items | list }}", {}),
    ("error_unpack", "{% for a, b in [[1, 2, 3]] %}{% endfor %}", {}),
]


# Templates written in the style of published chat templates (their idioms: role alternation
# checks, system folding, content part lists, tool schemas rendered by recursive macros,
# namespaces, whitespace-heavy layouts), each run on several conversations.
STYLE_TEMPLATES = {
    "inst_sys_fold": (
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
        "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
        "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
        "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if loop.index0 == 0 and system_message != false %}"
        "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
        "{% else %}{% set content = message['content'] %}{% endif %}"
        "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
        "{% elif message['role'] == 'assistant' %}{{ ' ' + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"),
    "turns_with_parts": """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- if messages[0]['content'] is string -%}
        {%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}
    {%- else -%}
        {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\\n\\n' -%}
    {%- endif -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- if (message['role'] == 'assistant') -%}
        {%- set role = "model" -%}
    {%- else -%}
        {%- set role = message['role'] -%}
    {%- endif -%}
    {{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else "") }}
    {%- if message['content'] is string -%}
        {{ message['content'] | trim }}
    {%- elif message['content'] is iterable -%}
        {%- for item in message['content'] -%}
            {%- if item['type'] == 'image' -%}
                {{ '<start_of_image>' }}
            {%- elif item['type'] == 'text' -%}
                {{ item['text'] | trim }}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {{ raise_exception("Invalid content type") }}
    {%- endif -%}
    {{ '<end_of_turn>\\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{'<start_of_turn>model\\n'}}
{%- endif -%}
""",
    "newline_layout": """{% for message in messages %}
{% if message['role'] == 'user' %}
{{ '<|user|>\\n' + message['content'] + eos_token }}
{% elif message['role'] == 'system' %}
{{ '<|system|>\\n' + message['content'] + eos_token }}
{% elif message['role'] == 'assistant' %}
{{ '<|assistant|>\\n'  + message['content'] + eos_token }}
{% endif %}
{% if loop.last and add_generation_prompt %}
{{ '<|assistant|>' }}
{% endif %}
{% endfor %}""",
    "vision_counter": """{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in messages %}{% if loop.first and message['role'] != 'system' %}<|im_start|>system
You are a helpful assistant.<|im_end|>
{% endif %}<|im_start|>{{ message['role'] }}
{% if message['content'] is string %}{{ message['content'] }}<|im_end|>
{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in content or 'image_url' in content %}{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}Picture {{ image_count.value }}: {% endif %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] == 'video' or 'video' in content %}{% set video_count.value = video_count.value + 1 %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>
{% endif %}{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant
{% endif %}""",
    "tool_schema_macros": """{%- macro render_type(spec) -%}
    {%- if spec.type == "array" -%}
        {{- "list[" + (render_type(spec['items']) if spec['items'] is defined else "Any") + "]" -}}
    {%- elif spec.type == "object" -%}
        {%- if spec.properties is defined -%}
            {{- "{" -}}
            {%- for name, sub in spec.properties | dictsort -%}
                {{- name + ("?" if name not in spec.get('required', []) else "") + ": " + render_type(sub) -}}
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}
            {{- "}" -}}
        {%- else -%}dict{%- endif -%}
    {%- elif spec.enum is defined -%}
        {{- spec.enum | map('tojson') | join(' | ') -}}
    {%- elif spec.type is string -%}
        {{- {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(spec.type, spec.type) -}}
    {%- elif spec.type is iterable -%}
        {{- spec.type | join(' | ') -}}
    {%- else -%}Any{%- endif -%}
{%- endmacro -%}
{%- if tools -%}
## Tools
{% for tool in tools %}
{%- set fn = tool.function if tool.function is defined else tool %}
def {{ fn.name }}({% for p, spec in fn.parameters.properties.items() %}{{ p }}: {{ render_type(spec) }}{{ ", " if not loop.last }}{% endfor %}):
    \"\"\"{{ fn.description | trim }}
{% for p, spec in fn.parameters.properties.items() if spec.description is defined %}
    {{ p }}: {{ spec.description }}
{% endfor %}
    \"\"\"
{% endfor %}
{% endif -%}
{%- for m in messages -%}
<|{{ m.role | upper }}|>{% if m.tool_calls %}{% for c in m.tool_calls %}{{ c.function | tojson(sort_keys=true) }}{% endfor %}{% else %}{{ m.content }}{% endif %}
{% endfor -%}
{%- if add_generation_prompt %}<|ASSISTANT|>{% endif -%}""",
    "deepseek_like_ns": """{%- set ns = namespace(system_prompt='', is_first_sp=true, is_tool=false) -%}
{%- for message in messages if message['role'] == 'system' -%}
    {%- if ns.is_first_sp -%}{% set ns.system_prompt = ns.system_prompt + message['content'] %}{% set ns.is_first_sp = false %}
    {%- else -%}{% set ns.system_prompt = ns.system_prompt + '\\n\\n' + message['content'] %}{%- endif -%}
{%- endfor -%}
{{ bos_token }}{{ ns.system_prompt }}
{%- for message in messages -%}
    {%- if message['role'] == 'user' -%}{%- set ns.is_tool = false -%}{{ '<|User|>' + message['content'] }}
    {%- elif message['role'] == 'assistant' and message['content'] is not none -%}
        {%- set content = message['content'] -%}
        {%- if '</think>' in content -%}{%- set content = content.split('</think>')[-1] -%}{%- endif -%}
        {{ '<|Assistant|>' + content + '<|end|>' }}
    {%- elif message['role'] == 'tool' -%}{%- set ns.is_tool = true -%}{{ '<|tool|>' + message['content'] }}
    {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt and not ns.is_tool -%}{{ '<|Assistant|><think>\\n' }}{%- endif -%}""",
    "generation_marks": """{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' }}{% if message['role'] == 'assistant' %}{% generation %}{{ message['content'] | trim + '<|im_end|>' }}{% endgeneration %}{% else %}{{ message['content'] | trim + '<|im_end|>' }}{% endif %}{{ '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}""",
    "date_and_defaults": """{%- set today = strftime_now("%d %B %Y") -%}
{%- set thinking = enable_thinking | default(true) -%}
{%- set sys = (messages | selectattr('role', 'equalto', 'system') | map(attribute='content') | first) | default('You are helpful.', true) -%}
<system>{{ sys }} Today is {{ today }}. Thinking: {{ 'on' if thinking else 'off' }}.</system>
{% for m in messages | rejectattr('role', 'equalto', 'system') -%}
<{{ m.role }}>{{ m.content if m.content is string else m.content | selectattr('type', 'equalto', 'text') | map(attribute='text') | join(' ') }}</{{ m.role }}>
{% endfor -%}
{%- if add_generation_prompt %}<assistant>{% if not thinking %}<think></think>{% endif %}{% endif %}""",
}

STYLE_CONVERSATIONS = {
    "system_chat": {"messages": [
        {"role": "system", "content": "  You are terse.  "}, {"role": "user", "content": " Hi there "},
        {"role": "assistant", "content": "<think>greet</think>Hello!"}, {"role": "user", "content": "Bye"}],
        "add_generation_prompt": True},
    "no_system": {"messages": [
        {"role": "user", "content": "Question?"}, {"role": "assistant", "content": "Answer."}],
        "add_generation_prompt": False},
    "content_parts": {"messages": [
        {"role": "system", "content": [{"type": "text", "text": "Look closely."}]},
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": " What is this? "},
                                     {"type": "image_url", "image_url": {"url": "x"}}, {"type": "video"}]}],
        "add_generation_prompt": True, "add_vision_id": True},
    "tools": {"messages": [
        {"role": "user", "content": "Weather in Oslo?"},
        {"role": "assistant", "content": None, "tool_calls": [{"type": "function", "function": {"name": "weather", "arguments": {"unit": "c", "city": "Oslo"}}}]},
        {"role": "tool", "content": "-3"}],
        "add_generation_prompt": True, "enable_thinking": False,
        "tools": [{"type": "function", "function": {"name": "weather", "description": "  Current weather.\\n",
                   "parameters": {"type": "object", "properties": {
                       "city": {"type": "string", "description": "City name"},
                       "unit": {"type": "string", "enum": ["c", "f"]},
                       "days": {"type": "array", "items": {"type": "integer"}},
                       "opts": {"type": "object", "properties": {"x": {"type": ["string", "null"]}}, "required": ["x"]}},
                       "required": ["city"]}}}]},
    "bad_roles": {"messages": [{"role": "assistant", "content": "First!"}], "add_generation_prompt": True},
}


def style_cases():
    cases = []
    for tname, source in STYLE_TEMPLATES.items():
        for cname, conv in STYLE_CONVERSATIONS.items():
            variables = {"bos_token": "<s>", "eos_token": "</s>", "tools": None, **conv}
            cases.append({"name": f"{tname}/{cname}", "template": source, "variables": variables,
                          **render(source, variables)})
    return cases


def real_template_cases(testdata):
    """Richer conversations (tools, tool calls, reasoning) through the shared real templates."""
    tools = [{"type": "function", "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {"type": "object", "properties": {
            "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit"}},
            "required": ["location"]}}}]
    tool_call = {"id": "call12345", "type": "function",
                 "function": {"name": "get_current_weather", "arguments": {"location": "Paris, France", "unit": "celsius"}}}
    conversations = {
        "tools_and_calls": {
            "messages": [
                {"role": "system", "content": "You are a weather bot. ☀"},
                {"role": "user", "content": "What's the weather in Paris?"},
                {"role": "assistant", "content": "", "tool_calls": [tool_call]},
                {"role": "tool", "content": "{\"temperature\": 22}", "tool_call_id": "call12345"},
                {"role": "assistant", "content": "It is 22 °C in Paris."},
                {"role": "user", "content": "Thanks!"}],
            "add_generation_prompt": True, "tools": tools},
        "reasoning": {
            "messages": [
                {"role": "user", "content": "2+2?"},
                {"role": "assistant", "content": "<think>\nSimple sum.\n</think>\n\n4"},
                {"role": "user", "content": "3+3?"}],
            "add_generation_prompt": True},
        "no_system_alternating": {
            "messages": [
                {"role": "user", "content": "  Hello  "},
                {"role": "assistant", "content": "Hi!"},
                {"role": "user", "content": "Bye"},
                {"role": "assistant", "content": "Goodbye."}],
            "add_generation_prompt": False},
        "bad_alternation": {
            "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}],
            "add_generation_prompt": True},
    }
    cases = []
    tdir = os.path.join(testdata, "templates")
    for name in sorted(os.listdir(tdir)):
        if not name.endswith(".jinja"):
            continue
        with open(os.path.join(tdir, name), encoding="utf-8") as f:
            source = f.read()
        for conv_name, conv in conversations.items():
            variables = {"messages": conv["messages"], "add_generation_prompt": conv["add_generation_prompt"],
                         "bos_token": "<s>", "eos_token": "</s>", "tools": conv.get("tools")}
            result = render(source, variables)
            cases.append({"name": f"{name[:-6]}/{conv_name}", "template_file": name,
                          "variables": variables, **result})
    return cases


def gguf_metadata(path):
    """The metadata of a GGUF v2/v3 file (a minimal reader: enough for the chat fields)."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def take(fmt):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values[0]

    def string():
        nonlocal pos
        n = take("Q")
        s = data[pos:pos + n].decode("utf-8")
        pos += n
        return s

    scalar = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}

    def value(t):
        if t == 8:
            return string()
        if t == 9:
            et = take("I")
            return [value(et) for _ in range(take("Q"))]
        return take(scalar[t])

    assert data[:4] == b"GGUF"
    pos = 4
    take("I")  # version
    take("Q")  # tensor count
    meta = {}
    for _ in range(take("Q")):
        key = string()
        meta[key] = value(take("I"))
    return meta


def model_cases(testdata, snippets_messages):
    """render-template -m: the template, BOS and EOS come from the GGUF."""
    cases = []
    vdir = os.path.join(testdata, "vocab")
    for name in sorted(os.listdir(vdir)):
        if not name.endswith(".gguf"):
            continue
        meta = gguf_metadata(os.path.join(vdir, name))
        tokens = meta.get("tokenizer.ggml.tokens", [])
        bos = tokens[meta["tokenizer.ggml.bos_token_id"]] if "tokenizer.ggml.bos_token_id" in meta else ""
        eos = tokens[meta["tokenizer.ggml.eos_token_id"]] if "tokenizer.ggml.eos_token_id" in meta else ""
        source = meta.get("tokenizer.chat_template")
        for conv_name, (messages, add_generation_prompt) in snippets_messages.items():
            variables = {"messages": messages, "add_generation_prompt": add_generation_prompt,
                         "bos_token": bos, "eos_token": eos, "tools": None}
            if source is None:
                result = {"ok": None, "text": "no chat template: ChatML"}
            else:
                result = render(source, variables)
            cases.append({"name": f"{name}/{conv_name}", "model_file": name, "has_template": source is not None,
                          "bos_token": bos, "eos_token": eos, "variables": variables, **result})
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--testdata", default=os.path.join(REPO, "..", "shared", "testdata"))
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    snippet_cases = []
    for name, source, variables in SNIPPETS:
        snippet_cases.append({"name": name, "template": source, "variables": variables, **render(source, variables)})
    meta = {"generator": "tools/chat_template_fixtures/generate.py", "jinja2": jinja2.__version__,
            "date": DATE.strftime("%Y-%m-%dT%H:%M:%S")}
    with open(os.path.join(OUT, "jinja_snippets.json"), "w", encoding="utf-8") as f:
        json.dump({**meta, "cases": snippet_cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "real_templates.json"), "w", encoding="utf-8") as f:
        json.dump({**meta, "cases": real_template_cases(args.testdata)}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "template_styles.json"), "w", encoding="utf-8") as f:
        json.dump({**meta, "cases": style_cases()}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    conversations = {
        "chat": ([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                  {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Bye"}], True),
        "single": ([{"role": "user", "content": "Hi"}], False),
    }
    with open(os.path.join(OUT, "model_templates.json"), "w", encoding="utf-8") as f:
        json.dump({**meta, "cases": model_cases(args.testdata, conversations)}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(snippet_cases)} snippets, real-template cases written to {OUT}")


if __name__ == "__main__":
    main()
