"""Så räknas siffrorna: how every figure is counted, in Swedish, with anchors that the info
links beside the figures point to (``components.sida.info``). Thresholds and goals are read
from the configuration and the code, never written twice."""

from __future__ import annotations

import dash
from dash import html

from .. import codes, config, fmt, schema
from ..components.sida import BERAKNING

PAGE = "berakning"
dash.register_page(__name__, path=BERAKNING, name="Så räknas siffrorna",
                   title="Så räknas siffrorna – Insatskollen", order=90)


def layout(**_query):
    c = config.get()
    b = c.budget
    gul = " eller ".join(f"{lo:g}–{hi:g} %" for lo, hi in b.gul)
    arbete = ", ".join(lab.lower() for code, lab, grupp in codes.AVSLUTSORSAK
                       if grupp in codes.ARBETE_STUDIER_GRUPPER)
    atgard = ", ".join(x.avvikelse for x in schema.CHECKLISTA if x.atgard)
    offentlig = ", ".join(lab.lower() for code, lab in codes.FORSORJNING if codes.offentlig(code))
    kannedom = ", ".join(x.avvikelse for x in schema.CHECKLISTA if not x.atgard)
    t = c.suppression_threshold
    sections = [
        ("mallampa", "Mållampan", [
            "Varje insats och kvartal, ur styrgruppens kvartalsrapport: grön när insatsen är i "
            "fas och prognosen är att målen nås; gul när den inte är i fas men prognosen är att "
            "målen nås; röd när prognosen är att målen inte nås. Saknas rapporten visas ○ "
            "Saknas. Lampan gäller periodens sista kvartal.",
            "Kvartalets lampor, på mål och på budget, räknas över samma insatser överallt "
            "(Översikt, Mål, Budget, presentationen och PM:et): de som pågår under kvartalet. En "
            "insats som avslutats tidigare under året finns kvar i Budget med årets budget och "
            "utfall, markerad Avslutad i stället för en lampa."]),
        ("beraknat", "Beräknat och rapporterat utfall", [
            "Styrgruppen rapporterar utfallet för varje mål i kvartalsrapporten. Där målet säger "
            "hur det räknas (t.ex. antal deltagare per år eller andel med handlingsplan vid "
            "avslut) räknas utfallet också ur uttaget, för insatsen och året hittills, och "
            "visas bredvid det rapporterade med en egen lampa: grön när målvärdet nås, gul inom "
            "en tiondel, röd annars. ≠ betyder att det beräknade och det rapporterade skiljer "
            "sig med mer än en tiondel av det rapporterade; fråga då styrgruppen hur de räknat. "
            "Ett dolt beräknat utfall jämförs aldrig."]),
        ("budget", "Förbrukning och budgetlampan", [
            "Förbrukningskvoten är utfall delat med budget, båda summerade från 1 januari till "
            "periodens sista kvartal (\"hittills i år\"). Kvoten avrundas till hela procent "
            "innan lampan sätts, så lampan stämmer med procenten du ser.",
            f"Grön {b.gron[0]:g}–{b.gron[1]:g} %, gul {gul}, röd annars (förbundets policy, "
            "ändras i konfigurationen). Överfört och återfört visas bredvid: de ändrar inte "
            "kvoten men förklarar den.",
            "Prognos för helåret: utfallet hittills i år plus resten av årets budget, förbrukad "
            "i samma takt (utfall ÷ budget) som de två senaste kvartalen. Resten av årets "
            "budget är årets kvartalsbudget i snitt gånger kvartalen som är kvar. Lampan vid "
            "årets slut sätts på prognosen med samma gränser."]),
        ("kostnad", "Kostnad per deltagare", [
            "Utfallet under perioden delat med antalet deltagare under perioden, och med antalet "
            "som gick till arbete eller studier bland de avslutade. Sedan start: allt utfall i "
            "uttaget till periodens slut delat med alla deltagare sedan start. Bygger kostnaden "
            "på ett dolt antal döljs den också. Insatserna har olika målgrupper och mål: jämför "
            "med försiktighet."]),
        ("perioder", "Perioder och deltagare", [
            "En deltagare räknas per insats (en person i två insatser räknas i båda). Aktiv "
            "under perioden: började senast periodens sista dag och har inte slutat före dess "
            "första dag. Avslutad under perioden: slutdatum inom perioden. Pågående vid "
            "periodens slut: började senast då och har inte slutat. Totalt sedan start: allt "
            "från insatsens start till periodens slut.",
            "Deltagare och Målgrupp visar året hittills om inget annat är valt. Ålder är "
            "startårets årtal minus födelseåret.",
            "En insats som flera kommuner delar räknas hel: väljer du en kommun (eller är du "
            "LOKUS för en kommun) räknas alla insatsens deltagare, också de andra kommunernas, "
            "och sidan säger vilka insatser det gäller och vilka kommuner de delas med. Det "
            "finns ingen uppgift i uttaget om vilken kommun en deltagare hör till."]),
        ("arbete-studier", "Till arbete eller studier", [
            f"Personer som avslutats under perioden med någon av avslutsorsakerna {arbete}. En "
            "person med flera sådana orsaker räknas en gång. Andelen är av de avslutade. "
            "Tabellen över avslutsorsaker räknar i stället registreringar."]),
        ("forsorjning", "Försörjning före och efter", [
            "Ur deltagare.csv: varje avslutad deltagares huvudsakliga försörjning före insatsen "
            "(forsorjning_start) och vid avslut (forsorjning_slut), som i den nationella "
            "uppföljningen (SUS Standardrapport deltagare). Räknas för deltagare som avslutats "
            "under perioden och har försörjning vid avslut registrerad; en avslutad utan den "
            "räknas inte, och kansliet ser hur många de är. Lön räknar också eget företag. "
            "Förändringen är antalet vid avslut minus antalet före.",
            f"Lämnat offentlig försörjning: hade offentlig försörjning före insatsen ({offentlig}) "
            "och lön eller studiemedel vid avslut, av alla som hade offentlig försörjning före. "
            "Ett mål kan räknas så ur uttaget (andel som lämnat offentlig försörjning).",
            "Utanför kansliet redovisas försörjning före och efter bara per helt kalenderår. "
            "Översikten, presentationen och PM:et visar därför året hittills när det är ett "
            "helt år, annars det senaste hela året, och säger vilket. Saknar uttaget "
            "försörjning vid avslut säger sidorna det."]),
        ("handlingsplan", "Handlingsplan vid avslut", [
            f"Andelen av de avslutade som hade en handlingsplan. Förbundets mål: minst "
            f"{fmt.procent(codes.MAL_HANDLINGSPLAN)} i förrehabiliterande insatser. "
            "Översikten visar året hittills för alla insatser."]),
        ("progression", "Progression (BIP)", [
            "Ur bip.csv: varje deltagares mätningar per insats och indikator (skala "
            f"{c.bip_skala[0]}–{c.bip_skala[1]}; indikatorerna är BIP:s elva, eller uttagets egen "
            "lista i bip_indikatorer.csv). Bara mätningar till och med periodens "
            "sista dag räknas. Mätt: deltagare som är aktiva under perioden och har minst en "
            "mätning. Med uppföljning: minst två mätdatum. Stegförflyttning: medelvärdet vid "
            "den senaste mätningen är högre än vid den första, båda räknade över de "
            "indikatorer som mättes båda gångerna.",
            f"Målen är insatsens egna där mål.csv säger att de räknas ur BIP, annars "
            f"förbundets: {fmt.procent(codes.MAL_BIP_MATTA)} mätta och "
            f"{fmt.procent(codes.MAL_BIP_STEGFORFLYTTNING)} stegförflyttning. Medelvärden per "
            "indikator visas med antalet (n) de bygger på, och bara när det antalet får "
            "visas. Bättre, samma och sämre jämför varje deltagares första och senaste värde "
            "på indikatorn; de är antal och skyddas som andra antal."]),
        ("anonyma", "Anonyma och volym", [
            "Ur kvartalsrapporten: deltagare utan personuppgifter, och personer som nåtts i "
            "volym- eller gruppaktiviteter. De ingår inte i deltagarantalen ovan."]),
        ("uppmarksamhet", "Behöver uppmärksamhet", [
            "Översiktens lista tar med varje insats som pågår under kvartalet och är röd eller "
            "gul på mål eller budget, saknar kvartalsrapport, eller har ett svar i "
            f"kvalitetsuppföljningen som kräver åtgärd ({atgard}). Röda först, sedan gula."]),
        ("kvalitet", "Kvalitet", [
            f"Åtgärd krävs (⚠): {atgard}. För kännedom (ℹ): {kannedom}. Ett svar för kännedom "
            "avviker från det förväntade men styrgruppen har gjort det den ska, t.ex. lämnat "
            "in en avvikelse."]),
        ("jamforelser", "Jämförelser", [
            "▲ och ▼ jämför med kvartalet före (när ett kvartal visas) och med samma period "
            "året före, i antal eller i procentenheter av de avrundade procent du ser. Ett dolt "
            "tal jämförs aldrig."]),
        ("sma-tal", "Små tal: varför vissa siffror döljs", [
            "Insatskollen visar uppgifter om personer, ofta i små grupper. För att ingen "
            f"deltagare ska kunna pekas ut visas inget antal personer från 1 till {t - 1} för "
            "någon annan än kansliet, och inget sådant antal ska heller gå att räkna fram ur det "
            "som visas: inte genom att lägga ihop eller dra ifrån tal i olika tabeller, filter "
            "och perioder, och inte med nedladdningarna, presentationen eller PM:et bredvid.",
            f"\"{c.suppressed_marker}\" betyder ett antal från 0 till {t - 1}. Också 0 visas så "
            "(utom för insatser som inte pågick under perioden): annars vore "
            f"\"{c.suppressed_marker}\" alltid minst 1, och fyra \"{c.suppressed_marker}\" som "
            f"tillsammans är \"{c.suppressed_marker}\" skulle visa att vart och ett är 1. "
            f"\"{c.dold_marker}\" är ett tal som döljs för att ett litet tal annars skulle kunna "
            f"räknas fram; det är minst {t}. I sällsynta fall skulle redan markeringarna "
            f"tillsammans låta ett litet tal räknas fram; då visas talet inte alls, som "
            f"\"{c.ej_visad_marker}\", vilket inte säger något om dess storlek. Andelar som "
            "bygger på ett dolt tal döljs på samma sätt.",
            "I diagrammen har ett dolt tal ingen stapel, bara sin markering vid noll. Där "
            "uppdelningen på kvinnor och män döljs men summan visas ritas summan som en grå "
            "stapel, \"Kvinnor och män (könen döljs)\". Kan en dold grupp vara större än den "
            "största stapeln står det i ord ovanför diagrammet. Skulle de flesta staplarna "
            "saknas visas en mening i stället, med en länk till en grövre indelning eller en "
            "längre period; siffrorna finns i tabellen. Ett dolt tal i löptext skrivs i ord: "
            f"\"färre än {t}\" eller \"ett dolt antal\".",
            "Deltagaruppgifter visas för varje kvartal, halvår och året hittills, och tid i "
            "insats, avslutsorsaker, försörjning före och efter, anonyma och volym bara för "
            "hela kalenderår (året hittills skulle nästa kvartal ersättas av ett längre, och "
            "skillnaden mellan två PM vara ett enda kvartals små tal). Andra perioder, till "
            "exempel två år eller hela insatstiden, visas inte utanför kansliet: perioder som "
            "överlappar kan dras från varandra. Sidan säger då varför och länkar till perioder "
            "som visas. Filtret på kön gäller bara Målgrupp och Avslutsorsaker. Deltagare med "
            "annat kön än kvinna eller man ingår bara i summan för samtliga, aldrig som en egen "
            "kolumn.",
            "Skyddet beslutas en gång för varje inläst uttag, över allt som visas, så samma "
            "cell visas likadant på alla sidor, i nedladdningar, presentationen och PM:et. Det "
            "tar hänsyn till det som visades förra kvartalet: ett tal som inte ändrats visas "
            "som då, och ett tal som rättats i efterhand med några få personer döljs, så att "
            "rättelsen inte kan räknas fram ur två PM. Väljer "
            "du flera kommuner är siffrorna summor av insatsernas egna och visas bara när alla "
            "delar visas. Kansliet ser de verkliga talen och har en utförlig beskrivning av "
            "skyddet för förbundets dataskyddsombud."]),
    ]
    return html.Main([
        html.H1("Så räknas siffrorna", className="h3 mb-3", id=f"{PAGE}-rubrik"),
        html.Nav(html.Ul([html.Li(html.A(title, href=f"#{key}")) for key, title, _ in sections],
                         className="mb-3"), **{"aria-label": "Innehåll"}),
        *[html.Section([html.H2(title, className="h5 mt-3", id=key)]
                       + [html.P(p) for p in paras]) for key, title, paras in sections],
    ], className="container-fluid py-2", style={"maxWidth": "60rem"})
