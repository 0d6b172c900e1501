from kinerja import create_app


def test_config_override_wins(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    assert app.config["SECRET_KEY"] == "x"
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_factories_build_tree(make_unit, make_employee):
    root = make_unit("BKKBN", "BADAN")
    perw = make_unit("P-SULSEL", "ESELON_II", root, region="PERWAKILAN", timezone="Asia/Makassar")
    sekr = make_unit("P-SULSEL-SEK", "ESELON_III", perw, kind="SEKRETARIAT_PERWAKILAN")
    assert sekr.path == f"/{root.id}/{perw.id}/{sekr.id}/"
    assert sekr.effective_timezone == "Asia/Makassar"
    assert sekr.effective_region == "PERWAKILAN"
    assert sekr.effective_kind == "SEKRETARIAT_PERWAKILAN"
    assert root.effective_timezone == "Asia/Jakarta"
    employee = make_employee(sekr, "JF", jf_name="Penyuluh KB")
    assert employee.unit_id == sekr.id
