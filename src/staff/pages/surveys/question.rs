//! One question in the builder: its words, kind, settings, skip rule and the buttons that move it.

use api::survey::{ChoiceOption, OptionId, QuestionId, QuestionKind, ShowIf};
use leptos::prelude::*;

use super::draft::{kind_named, options_mut, Draft, KINDS};

/// Puts the keyboard back on a button after its question moved (moving a node drops its focus).
fn refocus(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id) {
            use wasm_bindgen::JsCast;
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

/// A number box's value: empty means no limit.
fn parse_limit<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

#[component]
pub fn QuestionEditor(draft: Draft, id: QuestionId) -> impl IntoView {
    let n = id.0;
    let number = move || draft.number(id);
    let legend = move || format!("第 {} 题", number());
    let kind = Memo::new(move |_| draft.read(id, |q| q.kind.as_str()).unwrap_or("short_text"));
    let step = move |by: isize, button: &'static str| {
        if draft.shift(id, by) {
            refocus(format!("q{n}-{button}"));
        }
    };
    let count = move || draft.definition.with(|d| d.questions.len());
    view! {
        <fieldset class="question-editor" aria-describedby=format!("q{n}-error")>
            <legend>{legend}</legend>
            <div class="question-tools">
                <button type="button" id=format!("q{n}-up") aria-label=move || format!("上移{}", legend())
                    aria-disabled=move || (number() <= 1).to_string() on:click=move |_| step(-1, "up")>"上移"</button>
                <button type="button" id=format!("q{n}-down") aria-label=move || format!("下移{}", legend())
                    aria-disabled=move || (number() >= count()).to_string() on:click=move |_| step(1, "down")>"下移"</button>
                <button type="button" aria-label=move || format!("删除{}", legend())
                    on:click=move |_| draft.remove(id)>"删除"</button>
            </div>
            <div class="field">
                <label for=format!("q{n}-title")>"题目"</label>
                <input id=format!("q{n}-title") type="text" required
                    prop:value=move || draft.read(id, |q| q.title.clone()).unwrap_or_default()
                    on:input=move |e| { let text = event_target_value(&e); draft.edit(id, |q| q.title = text) } />
            </div>
            <div class="field">
                <label for=format!("q{n}-help")>"补充说明（可不填）"</label>
                <input id=format!("q{n}-help") type="text"
                    prop:value=move || draft.read(id, |q| q.help.clone()).unwrap_or_default()
                    on:input=move |e| { let text = event_target_value(&e); draft.edit(id, |q| q.help = text) } />
            </div>
            <div class="question-row">
                <div class="field">
                    <label for=format!("q{n}-kind")>"题型"</label>
                    <select id=format!("q{n}-kind")
                        on:change=move |e| {
                            let name = event_target_value(&e);
                            draft.edit(id, |q| q.kind = kind_named(&name, &q.kind));
                        }>
                        {KINDS.iter().map(|(value, label)| view! {
                            <option value=*value selected=move || kind.get() == *value>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" prop:checked=move || draft.read(id, |q| q.required).unwrap_or(false)
                        on:change=move |e| { let on = event_target_checked(&e); draft.edit(id, |q| q.required = on) } />
                    "必答"
                </label>
            </div>
            {move || match kind.get() {
                "single_choice" | "multiple_choice" => view! { <ChoiceSettings draft id /> }.into_any(),
                "number" => view! { <NumberSettings draft id /> }.into_any(),
                "rating" => view! { <p class="meta">"成员从 1 到 5 分中选一个（1 分最低，5 分最高）。"</p> }.into_any(),
                _ => ().into_any(),
            }}
            <SkipRule draft id />
            <p class="field-error" id=format!("q{n}-error")>{move || draft.error(id)}</p>
        </fieldset>
    }
}

/// Options, 其他, and for multiple choice the least and most to pick.
#[component]
fn ChoiceSettings(draft: Draft, id: QuestionId) -> impl IntoView {
    let n = id.0;
    let option_ids = move || {
        draft
            .read(id, |q| {
                q.kind.options().iter().map(|o| o.id).collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let add = move |_| {
        draft.edit(id, |q| {
            let next = q.next_option_id();
            if let Some(options) = options_mut(&mut q.kind) {
                options.push(ChoiceOption {
                    id: next,
                    label: String::new(),
                });
            }
        });
        // The new option's box takes the keyboard, so typing options is add, type, add, type.
        let next = draft
            .read(id, |q| q.kind.options().last().map(|o| o.id.0))
            .flatten();
        if let Some(option) = next {
            refocus(format!("q{n}-o{option}"));
        }
    };
    let is_multiple = move || {
        draft.read(id, |q| {
            matches!(q.kind, QuestionKind::MultipleChoice { .. })
        }) == Some(true)
    };
    let limits = move || {
        draft
            .read(id, |q| match q.kind {
                QuestionKind::MultipleChoice { min, max, .. } => (min, max),
                _ => (None, None),
            })
            .unwrap_or((None, None))
    };
    let set_limit = move |which: &'static str, text: String| {
        draft.edit(id, |q| {
            if let QuestionKind::MultipleChoice { min, max, .. } = &mut q.kind {
                let value = parse_limit::<u32>(&text);
                if which == "min" {
                    *min = value
                } else {
                    *max = value
                }
            }
        })
    };
    view! {
        <ol class="option-list">
            <For each=option_ids key=|option| *option let:option>
                <OptionRow draft id option />
            </For>
        </ol>
        <button type="button" on:click=add aria-label=move || format!("为第 {} 题添加选项", draft.number(id))>"添加选项"</button>
        <label class="check">
            <input type="checkbox" prop:checked=move || draft.read(id, |q| q.kind.has_other()).unwrap_or(false)
                on:change=move |e| {
                    let on = event_target_checked(&e);
                    draft.edit(id, |q| match &mut q.kind {
                        QuestionKind::SingleChoice { other, .. } | QuestionKind::MultipleChoice { other, .. } => *other = on,
                        _ => {}
                    });
                } />
            "最后加一项「其他」（成员可填写）"
        </label>
        {move || is_multiple().then(|| view! {
            <div class="question-row">
                <div class="field small">
                    <label for=format!("q{n}-min")>"至少选几项"</label>
                    <input id=format!("q{n}-min") type="number" min="1" inputmode="numeric"
                        prop:value=move || limits().0.map(|v| v.to_string()).unwrap_or_default()
                        on:input=move |e| set_limit("min", event_target_value(&e)) />
                </div>
                <div class="field small">
                    <label for=format!("q{n}-max")>"最多选几项"</label>
                    <input id=format!("q{n}-max") type="number" min="1" inputmode="numeric"
                        prop:value=move || limits().1.map(|v| v.to_string()).unwrap_or_default()
                        on:input=move |e| set_limit("max", event_target_value(&e)) />
                </div>
            </div>
        })}
    }
}

/// One option's words and its remove button.
#[component]
fn OptionRow(draft: Draft, id: QuestionId, option: OptionId) -> impl IntoView {
    let n = id.0;
    let position = move || {
        draft
            .read(id, |q| q.kind.options().iter().position(|o| o.id == option))
            .flatten()
            .map_or(0, |i| i + 1)
    };
    let label = move || format!("选项 {}", position());
    let edit = move |f: &dyn Fn(&mut Vec<ChoiceOption>)| {
        draft.edit(id, |q| {
            if let Some(options) = options_mut(&mut q.kind) {
                f(options);
            }
        })
    };
    view! {
        <li class="option-row">
            <label for=format!("q{n}-o{}", option.0) class="visually-hidden">{move || format!("第 {} 题{}", draft.number(id), label())}</label>
            <input id=format!("q{n}-o{}", option.0) type="text" placeholder=label
                prop:value=move || draft.read(id, |q| q.kind.options().iter().find(|o| o.id == option).map(|o| o.label.clone())).flatten().unwrap_or_default()
                on:input=move |e| {
                    let text = event_target_value(&e);
                    edit(&|options| if let Some(o) = options.iter_mut().find(|o| o.id == option) { o.label = text.clone() });
                } />
            <button type="button"
                aria-label=move || format!("删除第 {} 题{}", draft.number(id), label())
                on:click=move |_| edit(&|options| options.retain(|o| o.id != option))>"删除"</button>
        </li>
    }
}

/// Changes a number question's (min, max, integer).
type NumberEdit<'a> = &'a dyn Fn(&mut Option<f64>, &mut Option<f64>, &mut bool);

/// Bounds and whole numbers for a number question.
#[component]
fn NumberSettings(draft: Draft, id: QuestionId) -> impl IntoView {
    let n = id.0;
    let get = move || {
        draft
            .read(id, |q| match q.kind {
                QuestionKind::Number { min, max, integer } => (min, max, integer),
                _ => (None, None, false),
            })
            .unwrap_or((None, None, false))
    };
    let set = move |f: NumberEdit| {
        draft.edit(id, |q| {
            if let QuestionKind::Number { min, max, integer } = &mut q.kind {
                f(min, max, integer)
            }
        })
    };
    let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <div class="question-row">
            <div class="field small">
                <label for=format!("q{n}-nmin")>"最小值（可不填）"</label>
                <input id=format!("q{n}-nmin") type="number" step="any" prop:value=move || show(get().0)
                    on:input=move |e| { let v = parse_limit(&event_target_value(&e)); set(&|min, _, _| *min = v) } />
            </div>
            <div class="field small">
                <label for=format!("q{n}-nmax")>"最大值（可不填）"</label>
                <input id=format!("q{n}-nmax") type="number" step="any" prop:value=move || show(get().1)
                    on:input=move |e| { let v = parse_limit(&event_target_value(&e)); set(&|_, max, _| *max = v) } />
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || get().2
                    on:change=move |e| { let on = event_target_checked(&e); set(&|_, _, integer| *integer = on) } />
                "只能填整数"
            </label>
        </div>
    }
}

/// 按前面的答案显示: which earlier choice question, and which of its options show this one.
#[component]
fn SkipRule(draft: Draft, id: QuestionId) -> impl IntoView {
    let n = id.0;
    // Memos, so that typing elsewhere or ticking one box does not rebuild the boxes (and drop the focus).
    let rule = Memo::new(move |_| draft.read(id, |q| q.show_if.clone()).flatten());
    let earlier = Memo::new(move |_| draft.earlier_choices(id));
    let shown = Memo::new(move |_| !earlier.with(Vec::is_empty) || rule.with(Option::is_some));
    let source = Memo::new(move |_| {
        let question = rule.with(|r| r.as_ref().map(|r| r.question))?;
        let options = draft
            .read(question, |q| q.kind.options().to_vec())
            .unwrap_or_default();
        Some((question, options))
    });
    let set_rule = move |f: &dyn Fn(&mut ShowIf)| {
        draft.edit(id, |q| {
            if let Some(rule) = q.show_if.as_mut() {
                f(rule)
            }
        })
    };
    view! {
        {move || shown.get().then(|| view! {
            <div class="skip-rule">
                <label class="check">
                    <input type="checkbox" prop:checked=move || rule.with(Option::is_some)
                        on:change=move |e| draft.set_conditional(id, event_target_checked(&e)) />
                    "仅在前面某题选了特定选项时显示"
                </label>
                {move || source.get().map(|(current, source_options)| view! {
                    <div class="field">
                        <label for=format!("q{n}-if")>"根据"</label>
                        <select id=format!("q{n}-if")
                            on:change=move |e| {
                                let picked = event_target_value(&e).parse().ok().map(QuestionId);
                                if let Some(question) = picked {
                                    set_rule(&|rule| { rule.question = question; rule.any_of.clear(); });
                                }
                            }>
                            {move || earlier.get().into_iter().map(|(q, label)| view! {
                                <option value=q.0.to_string() selected=q == current>{label}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <fieldset class="skip-options">
                        <legend>{move || format!("第 {} 题在选了以下任一项时显示", draft.number(id))}</legend>
                        {source_options.into_iter().map(|option| {
                            let text = if option.label.trim().is_empty() { "（未填写的选项）".to_owned() } else { option.label.clone() };
                            let option = option.id;
                            view! {
                                <label class="check">
                                    <input type="checkbox"
                                        prop:checked=move || rule.with(|r| r.as_ref().is_some_and(|r| r.any_of.contains(&option)))
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            set_rule(&|rule| {
                                                rule.any_of.retain(|o| *o != option);
                                                if on { rule.any_of.push(option); }
                                            });
                                        } />
                                    {text}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
            </div>
        })}
    }
}
