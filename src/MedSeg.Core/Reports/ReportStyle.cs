namespace MedSeg.Core.Reports;

/// <summary>
/// The look every MedSeg page shares (evaluation, training-run and study reports, the slice viewer): one style sheet
/// inlined into each self-contained page, so a page and its parts (header, cards, tables, figures, footer) look alike.
/// </summary>
public static class ReportStyle
{
    /// <summary>The shared CSS: dark header, cards, tables with sticky heads, figures, footer.</summary>
    public const string Css = """
        :root { --ink: #1d2330; --muted: #6b7385; --line: #e3e6ec; --panel: #fff; --bg: #f4f5f8; --accent: #3d7bd9; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
        header { background: var(--ink); color: #fff; padding: 22px 32px 18px; }
        header h1 { margin: 0 0 4px; font-size: 21px; font-weight: 600; }
        header p { margin: 2px 0; color: #b9c1d1; font-size: 13px; overflow-wrap: anywhere; }
        main { padding: 8px 32px 32px; max-width: 1280px; }
        section { margin-top: 26px; }
        h2 { font-size: 17px; font-weight: 600; margin: 0 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
        .note { color: var(--muted); font-size: 12.5px; margin: -4px 0 10px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 20px; }
        .card { background: var(--panel); border-radius: 8px; padding: 12px 16px; min-width: 118px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
        .card .label { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        .card .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .card.main { border-left: 4px solid var(--accent); }
        .table-wrap { max-width: 100%; max-height: 560px; overflow-x: auto; overflow-y: auto; border-radius: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
        table { border-collapse: collapse; width: max-content; min-width: 100%; background: var(--panel); font-size: 13px; }
        th, td { padding: 6px 12px; text-align: right; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        thead th { position: sticky; top: 0; background: #eef1f6; font-weight: 600; color: #3a4254; }
        tbody tr:hover { background: #f7f9fc; }
        tr.all td { font-weight: 600; background: #f2f6fd; }
        td.na { color: #a3a9b5; }
        td.bar { background: linear-gradient(#8fb5ec, #8fb5ec) no-repeat left 6px bottom 3px / calc((100% - 12px) * var(--f)) 3px; }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(340px, 100%), 1fr)); gap: 14px; }
        .views { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: 6px; }
        figure { margin: 0; background: var(--panel); border-radius: 8px; padding: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
        figure img { display: block; width: 100%; image-rendering: pixelated; border-radius: 4px; background: #000; }
        figcaption { font-size: 12px; margin-top: 6px; color: #3a4254; }
        figcaption b { font-variant-numeric: tabular-nums; }
        .key { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin: 0 4px 0 10px; box-shadow: inset 0 0 0 1px rgba(0, 0, 0, .25); }
        .key.tp { background: var(--c); }
        .key.fp { background: repeating-linear-gradient(-45deg, var(--c) 0 2px, #fff 2px 4px); }
        .key.fn { background: repeating-linear-gradient(45deg, var(--c) 0 2px, #000 2px 4px); }
        .plot img { max-width: 100%; border-radius: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); background: #fff; }
        footer { color: var(--muted); font-size: 12px; padding: 0 32px 28px; overflow-wrap: anywhere; }
        footer p { margin: 2px 0; }
        footer code { color: var(--ink); }
        """;
}
