"""Quiz: a self-check for students and curious patients. Each answer gets immediate feedback
with the explanation and its sources, and the end shows a summary. The questions come from
assets/content/quiz.yaml. Nothing is stored: the answers live only in this browser session.

Each unanswered question is a form: choosing an answer stays in the browser, and only **Check**
asks the server for anything (a lecture hall choosing answers sends nothing until it checks)."""

import streamlit as st

from pathways import lesson as lessons
from view import current_audience, load_or_stop, show_citations

audience = current_audience()
quiz = load_or_stop(lessons.load_quiz, "quiz file")
lesson = load_or_stop(lessons.load_lesson, "lesson file")

questions = quiz.questions
ANSWERS = "quiz_answers"  # question id -> the option index that was checked
answers: dict = st.session_state.setdefault(ANSWERS, {})


NOT_CHOSEN = "quiz_not_chosen"  # the question whose Check was pressed with nothing chosen


def check(question_id: str) -> None:
    choice = st.session_state.get(f"quiz-{question_id}")
    if choice is None:
        st.session_state[NOT_CHOSEN] = question_id
        return
    st.session_state.pop(NOT_CHOSEN, None)
    st.session_state[ANSWERS] = {**st.session_state[ANSWERS], question_id: choice}


def start_again() -> None:
    st.session_state[ANSWERS] = {}
    for q in questions:
        st.session_state.pop(f"quiz-{q.id}", None)


def lesson_link(question, label: str) -> None:
    if question.lesson_step:
        st.page_link("app_pages/present.py", label=label, icon=":material/co_present:",
                     query_params={"step": lesson.number(question.lesson_step)})


# The question (the answer group's label) at body size, above its choices; bold (app.css for
# answered questions). An open question is a form, which Streamlit gives no key class.
st.html("<style>[class*='st-key-question-'] [data-testid='stWidgetLabel'] p, "
        "[data-testid='stForm'] [data-testid='stWidgetLabel'] p "
        "{ font-size: 1rem; line-height: 1.5; font-weight: 600; }</style>")
st.title(quiz.title)
st.markdown(f"{len(questions)} questions about why a neck problem can be felt in the head, eye "
            "or face. Choose an answer, then press **Check** to see if it is right, why, and "
            "where the facts come from.")
st.caption("Nothing is saved or sent anywhere. Your answers are forgotten when you close this "
           "tab.")
answered = [q for q in questions if q.id in answers]
st.progress(len(answered) / len(questions),
            text=f"Answered {len(answered)} of {len(questions)}")

not_chosen = st.session_state.pop(NOT_CHOSEN, None)
for q in questions:
    done = q.id in answers
    # An answered question is locked, so it needs no form (a form needs its submit button).
    # A form gets no key class: tests and styles find it by its answers' (st-key-quiz-<id>).
    box = (st.container(border=True, key=f"question-{q.id}") if done
           else st.form(key=f"question-{q.id}", border=True, enter_to_submit=False))
    with box:
        # the question is the answer group's label: screen readers announce it with the
        # choices (and one element fewer per question to send on every click)
        st.radio(f"{q.number}. {q.question}", list(range(len(q.options))),
                 key=f"quiz-{q.id}", index=None, format_func=lambda i, q=q: q.options[i],
                 disabled=done)
        if not done:
            if not_chosen == q.id:
                st.warning("Choose an answer first, then press **Check**.",
                           icon=":material/touch_app:")
            st.form_submit_button("Check", key=f"check-{q.id}", on_click=check, args=(q.id,))
            continue
        if answers[q.id] == q.correct_index:
            st.success(f"**Right.** {q.explanation}", icon=":material/check_circle:")
        else:
            st.error(f"**Not quite.** The answer is: *{q.correct_option.rstrip('.')}*. "
                     f"{q.explanation}",
                     icon=":material/cancel:")
        show_citations(q.citations, audience)

if len(answered) == len(questions):
    right = [q for q in questions if answers[q.id] == q.correct_index]
    missed = [q for q in questions if answers[q.id] != q.correct_index]
    with st.container(border=True, key="quiz-summary"):
        st.header("Your result", anchor=False)
        st.markdown(f"### {len(right)} of {len(questions)} right")
        if not missed:
            st.markdown("Every answer was right. Well done.")
        else:
            st.markdown("Worth another look:")
            for q in missed:
                st.markdown(f"- {q.topic}")
                lesson_link(q, f"See “{q.topic}” in the lesson")
        st.button("Start again", key="quiz-restart", on_click=start_again,
                  icon=":material/restart_alt:")
else:
    st.info(f"Answer all {len(questions)} questions to see your result. "
            f"{len(questions) - len(answered)} to go.", icon=":material/quiz:")
