import pytest
from django.core.management import CommandError, call_command

from statuspage.models import Pharmacy
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "ods_code,name,address,postcode,nation,system\n"


@pytest.fixture
def systems():
    factories.supplier("cegedim-pharmacy-manager")
    factories.supplier("positive-solutions-analyst", topology="per_site")


def write(tmp_path, body: str):
    path = tmp_path / "pharmacies.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def test_a_good_file_imports_every_row(tmp_path, systems, capsys):
    path = write(
        tmp_path,
        "fw844,Kirkstall Road Pharmacy,12 Kirkstall Road Leeds,ls31hr,England,cegedim-pharmacy-manager\n"
        "FA123,Station Road Pharmacy,1 Station Road Cardiff,CF10 1AA,wales,positive-solutions-analyst\n",
    )
    call_command("import_pharmacies", path)
    p = Pharmacy.objects.get(ods_code="FW844")
    assert (p.postcode, p.nation) == ("LS3 1HR", "england")
    assert Pharmacy.objects.get(ods_code="FA123").broker().site.ods_code == "FA123"
    assert "2 new" in capsys.readouterr().out


def test_importing_again_updates_instead_of_duplicating(tmp_path, systems):
    row = "FW844,Old Name,1 Road,LS3 1HR,England,cegedim-pharmacy-manager\n"
    call_command("import_pharmacies", write(tmp_path, row))
    call_command("import_pharmacies", write(tmp_path, row.replace("Old Name", "New Name")))
    assert list(Pharmacy.objects.values_list("name", flat=True)) == ["New Name"]


def test_a_file_with_errors_imports_nothing_and_names_each_bad_line(tmp_path, systems, capsys):
    path = write(
        tmp_path,
        "FW844,Good Pharmacy,1 Road,LS3 1HR,England,cegedim-pharmacy-manager\n"
        "XW844,Bad Code,1 Road,LS3 1HR,England,cegedim-pharmacy-manager\n"
        "FW845,Bad Postcode,1 Road,NOTAPOSTCODE,England,cegedim-pharmacy-manager\n"
        "FW846,Bad Nation,1 Road,LS3 1HR,Narnia,cegedim-pharmacy-manager\n"
        "FW847,Unknown System,1 Road,LS3 1HR,England,nosuchsystem\n"
        "FW844,Duplicate,1 Road,LS3 1HR,England,cegedim-pharmacy-manager\n",
    )
    with pytest.raises(CommandError, match="5 bad row"):
        call_command("import_pharmacies", path)
    err = capsys.readouterr().err
    assert "line 3: ods_code 'XW844'" in err
    assert "line 4: postcode" in err
    assert "line 5: nation 'Narnia'" in err
    assert "line 6: system 'nosuchsystem'" in err
    assert "line 7: ods_code FW844 also appears on line 2" in err
    assert not Pharmacy.objects.exists()


def test_a_file_without_the_expected_columns_is_refused(tmp_path, systems):
    path = tmp_path / "wrong.csv"
    path.write_text("code,name\nFW844,x\n")
    with pytest.raises(CommandError):
        call_command("import_pharmacies", str(path))
    assert not Pharmacy.objects.exists()


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_pharmacies", "/nonexistent/file.csv")
