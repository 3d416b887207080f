"""The shipped sentiment head: factual complaints are negative, polite requests neutral."""

import hashlib
import json

from rapport.engine.text import analyze, needs_human
from rapport.engine.text.analysis import default_model
from rapport.engine.text.model import TextModel


def test_the_head_is_shipped_for_this_model_and_named_in_the_version():
    model = default_model()
    head = json.loads((model.path / "sentiment_head.json").read_text())
    assert head["for_model"] == model.base_version
    assert len(head["weights"]) == 384 + 28 + 3 and len(head["bias"]) == 3
    digest = hashlib.sha256((model.path / "sentiment_head.json").read_bytes()).hexdigest()[:8]
    assert model.version == f"{model.base_version}+sentiment@{head['created']}.{digest}"
    # Its recorded held-out score is what the card and docs quote; keep it honest.
    assert head["scores"]["business_dev_macro_f1"] >= 0.75


def test_the_version_names_the_quantisation_and_the_need_for_a_human_rules_and_weights():
    weights = needs_human.weights_path().read_bytes()
    digest = hashlib.sha256(weights).hexdigest()[:8]
    model = default_model()
    assert model.readings_version == (
        f"{model.version}+per-token+needs@{needs_human.RULES_VERSION}.{digest}"
    )
    [reading] = analyze(["When do you open on Sunday?"], pii=False)
    assert reading.model == model.readings_version


def test_a_head_refitted_on_the_same_day_is_a_new_version(tmp_path):
    # Readings store the version, and a stored reading is stale when it differs; two heads
    # of the same date must therefore not share one.
    shipped = default_model().path
    for name in ("config.json", "model.onnx"):
        (tmp_path / name).symlink_to(shipped / name)
    head = json.loads((shipped / "sentiment_head.json").read_text())
    head["bias"] = [b + 0.01 for b in head["bias"]]
    (tmp_path / "sentiment_head.json").write_text(json.dumps(head))
    refitted = TextModel(tmp_path)
    assert refitted.base_version == default_model().base_version
    assert refitted.version.startswith(f"{refitted.base_version}+sentiment@{head['created']}.")
    assert refitted.version != default_model().version


def test_complaints_without_emotion_words_read_negative_and_requests_neutral():
    # Written for this test, not taken from the training messages.
    complaint, request, question, praise = analyze(
        [
            "My parcel came a week late and the lid was broken.",
            "Please change the delivery address on my account to 14 Mill Lane.",
            "Do you have gluten-free bread on Saturdays?",
            "The new rye is wonderful, thank you!",
        ],
        pii=False,
    )
    assert complaint.sentiment.label == "negative"
    assert request.sentiment.label == "neutral"
    assert question.sentiment.label == "neutral"
    assert praise.sentiment.label == "positive"
    assert complaint.sentiment.score < 0 < praise.sentiment.score
