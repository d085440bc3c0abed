using PuppeteerSharp;

namespace MedSeg.Tests.Browser;

/// <summary>What the browser tests do to and read from a slice viewer page, through its own controls.</summary>
internal sealed class ViewerPageDriver(IPage page)
{
    public IPage Page { get; } = page;

    /// <summary>Waits until the current case is decoded and drawn.</summary>
    public Task ReadyAsync() => Page.WaitForSelectorAsync("body[data-ready='1']");

    /// <summary>Scrolls the mouse wheel over the first image until the slice index is <paramref name="index"/>.</summary>
    public async Task ScrollToSliceAsync(int index)
    {
        IElementHandle canvas = await Page.QuerySelectorAsync("#truth-view");
        BoundingBox box = await canvas.BoundingBoxAsync();
        await Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        int current = await CurrentSliceAsync();
        while (current != index)
        {
            await Page.Mouse.WheelAsync(0, index > current ? 100 : -100);
            await Page.WaitForFunctionAsync("(from) => document.body.dataset.slice !== String(from)", current);
            current = await CurrentSliceAsync();
        }
    }

    public async Task<int> CurrentSliceAsync() => int.Parse(await Page.EvaluateExpressionAsync<string>("document.body.dataset.slice"));

    public Task<string> TextAsync(string selector) =>
        Page.EvaluateFunctionAsync<string>("s => document.querySelector(s).textContent", selector);

    /// <summary>Moves a range input to <paramref name="value"/> as a user's drag would (an input event).</summary>
    public Task SetRangeAsync(string id, double value) => Page.EvaluateFunctionAsync(
        "(id, v) => { const e = document.getElementById(id); e.value = String(v); e.dispatchEvent(new Event('input')); }", id, value);

    /// <summary>Selects <paramref name="value"/> in a select element.</summary>
    public Task SelectAsync(string id, string value) => Page.SelectAsync("#" + id, value);

    /// <summary>Clicks a control.</summary>
    public Task ClickAsync(string selector) => Page.ClickAsync(selector);

    /// <summary>The R, G, B of canvas pixel (<paramref name="x"/>, <paramref name="y"/>) in the canvas's own pixels.</summary>
    public async Task<(int R, int G, int B)> PixelAsync(string canvasId, int x, int y)
    {
        int[] rgba = await Page.EvaluateFunctionAsync<int[]>(
            "(id, x, y) => Array.from(document.getElementById(id).getContext('2d').getImageData(x, y, 1, 1).data)", canvasId, x, y);
        return (rgba[0], rgba[1], rgba[2]);
    }

    public Task<int[]> CanvasSizeAsync(string canvasId) =>
        Page.EvaluateFunctionAsync<int[]>("id => { const c = document.getElementById(id); return [c.width, c.height]; }", canvasId);
}
