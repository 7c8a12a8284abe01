"""Type into a workbook's cells with LibreOffice Calc, as a person does.

Usage: python3 libreoffice_type.py PROFILE SOURCE TARGET EDITS.json

Starts a headless LibreOffice with its own profile folder, opens SOURCE,
and for each edit ({"sheet", "cell", "text"}) goes to the cell and enters
the text through the dispatcher's EnterString, so that Calc's own input
recognition turns it into a number, a date or a time as it would for a
person typing (the locale is the environment's: run it under en_GB.UTF-8).
Then saves TARGET: .xlsx as Excel 2007-365, .csv as "CSV UTF-8" of the
Vaccinations sheet with the cells' contents as shown, which is what "Save a
copy > CSV" writes.
"""

import json, os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

def main():
    profile, source, target, edits_path = sys.argv[1:5]
    edits = json.load(open(edits_path, encoding="utf-8"))
    os.makedirs(profile, exist_ok=True)
    pipe = "mavis" + str(os.getpid())
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
        "-env:UserInstallation=file://" + os.path.abspath(profile),
        "--accept=pipe,name=%s;urp;" % pipe])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe); break
            except Exception:
                time.sleep(0.1)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (prop("Hidden", True),))
        frame = doc.getCurrentController().getFrame()
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for e in edits:
            sheet = doc.Sheets.getByName(e["sheet"])
            doc.getCurrentController().setActiveSheet(sheet)
            dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", e["cell"]),))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", e["text"]),))
        url = uno.systemPathToFileUrl(os.path.abspath(target))
        if target.endswith(".csv"):
            # CSV holds one sheet, the active one: the admin goes to the
            # Vaccinations sheet first (an annotated copy opens on Problems).
            names = list(doc.Sheets.getElementNames())
            sheet = names.index("Vaccinations") + 1 if "Vaccinations" in names else 1
            options = "44,34,76,1,,0,false,true,true,false,false,%d" % sheet
            doc.storeToURL(url, (prop("FilterName", "Text - txt - csv (StarCalc)"), prop("FilterOptions", options)))
            # Asked for one sheet by number, LibreOffice names the file for it.
            named = target[:-len(".csv")] + "-" + names[sheet - 1] + ".csv"
            if os.path.exists(named):
                os.replace(named, target)
        else:
            doc.storeToURL(url, (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
    finally:
        try: desktop.terminate()
        except Exception: pass
        office.wait(timeout=60)

main()
