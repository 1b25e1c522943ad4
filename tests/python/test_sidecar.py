# SPDX-License-Identifier: Apache-2.0
"""The rest of the C2PA API from Python: sidecar manifests, JSON manifest definitions, the title / generator
builders, re-signing with the previous manifest as parent ingredient, and ingredient reports."""

import json

import pytest

import provmark

PAYLOAD = provmark.Payload.from_hex("0123456789abcdef")
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
DEFINITION = {
    "claim_generator_info": [{"name": "my-model", "version": "2.1"}],
    "title": "cat.jpg",
    "assertions": [
        {"label": "c2pa.actions.v2", "data": {"actions": [
            {"action": "c2pa.created", "digitalSourceType": COMPOSITE},
        ]}},
        {"label": "c2pa.soft-binding", "data": {"alg": "org.provmark.wm.image.1",
                                                "blocks": [{"scope": {}, "value": "0123456789abcdef"}]}},
        {"label": "com.example.prompt", "data": {"seed": 42}},
    ],
}


def test_a_json_definition_becomes_a_manifest_and_bad_fields_are_named():
    manifest = provmark.manifest_from_json(json.dumps(DEFINITION))
    assert manifest.generator == "my-model" and manifest.generator_version == "2.1" and manifest.title == "cat.jpg"
    assert manifest.source_type is provmark.DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
    assert manifest.watermark_payload == PAYLOAD
    assert [label for label, _ in manifest.custom_assertions] == ["com.example.prompt"]
    assert provmark.manifest_from_json(json.dumps(DEFINITION).encode()).title == "cat.jpg"
    bad = json.loads(json.dumps(DEFINITION))
    bad["assertions"][1]["data"]["blocks"][0]["value"] = "xyz"
    with pytest.raises(provmark.MalformedInputError, match=r"assertions\[1\]\.data\.blocks\[0\]\.value"):
        provmark.manifest_from_json(json.dumps(bad))
    with pytest.raises(provmark.MalformedInputError):
        provmark.manifest_from_json('{"format": "image/jpeg"}')


def test_the_new_builders_chain_and_read_back():
    manifest = provmark.Manifest("pytest")
    assert manifest.title == "" and manifest.parent_ingredient_title == ""
    assert manifest.existing_manifests_policy is provmark.ExistingManifests.KEEP_AS_PARENT
    same = (manifest.set_title("out.jpg").set_generator("model", "3").parent_title("in.jpg")
            .existing_manifests(provmark.ExistingManifests.REPLACE))
    assert same is manifest
    assert (manifest.title, manifest.generator, manifest.generator_version) == ("out.jpg", "model", "3")
    assert manifest.parent_ingredient_title == "in.jpg"
    assert manifest.existing_manifests_policy is provmark.ExistingManifests.REPLACE
    assert manifest.existing_manifests("keep_as_parent").existing_manifests_policy == "keep_as_parent"
    with pytest.raises(provmark.InvalidArgumentError):
        manifest.set_generator("")
    with pytest.raises(provmark.InvalidArgumentError):
        manifest.existing_manifests("merge")


def test_a_sidecar_validates_against_its_asset_from_bytes_or_from_the_file(data_dir, tmp_path, signer, anchors):
    asset = (data_dir / "rocket.jpg").read_bytes()
    manifest = provmark.Manifest("pytest").set_title("rocket.jpg")
    store = provmark.sign_sidecar(asset, manifest, signer)
    report = provmark.inspect_sidecar(store, asset, trust_anchors=anchors)
    assert report.state is provmark.ValidationState.TRUSTED
    assert provmark.inspect(asset).has_manifest is False  # the asset is left as it is

    path = tmp_path / "rocket.jpg"
    path.write_bytes(asset)
    assert provmark.sidecar_path(path) == tmp_path / "rocket.c2pa"
    from_file = provmark.sign_sidecar_file(path, manifest, signer)
    assert provmark.inspect_sidecar(from_file, asset, trust_anchors=anchors).state is provmark.ValidationState.TRUSTED
    changed = asset[:-3] + b"\x00" + asset[-2:]
    assert provmark.inspect_sidecar(from_file, changed, trust_anchors=anchors).state is provmark.ValidationState.INVALID
    with pytest.raises(provmark.IoError):
        provmark.sign_sidecar_file(tmp_path / "missing.jpg", manifest, signer)


def test_re_signing_keeps_the_previous_manifest_as_parent_ingredient_unless_told_to_replace(data_dir, signer,
                                                                                          anchors):
    first = provmark.sign((data_dir / "chelsea.png").read_bytes(), provmark.Manifest("first"), signer)
    first_label = provmark.inspect(first).active_manifest
    second = provmark.sign(first, provmark.Manifest("second").parent_title("chelsea.png"), signer)
    report = provmark.inspect(second, trust_anchors=anchors)
    assert report.state is provmark.ValidationState.TRUSTED and len(report.manifests) == 2
    parent, = report.manifests[-1].ingredients
    assert isinstance(parent, provmark.IngredientSummary)
    assert (parent.relationship, parent.title, parent.active_manifest) == ("parentOf", "chelsea.png", first_label)
    assert report.manifests[-1].actions[0] == "c2pa.opened"
    # The ingredient recorded that nobody trusted its signer when it was added (sign() uses no trust anchors);
    # with the anchors given now, the difference is reported as a delta.
    assert "signingCredential.untrusted" in [s.code for s in parent.failure]
    delta, = report.ingredient_deltas
    assert isinstance(delta, provmark.IngredientDelta)
    assert delta.ingredient_assertion_uri.endswith("/c2pa.assertions/c2pa.ingredient.v3")
    assert "signingCredential.trusted" in [s.code for s in delta.success] and delta.failure == ()

    replaced = provmark.sign(first, provmark.Manifest("second").existing_manifests("replace"), signer)
    assert len(provmark.inspect(replaced).manifests) == 1
