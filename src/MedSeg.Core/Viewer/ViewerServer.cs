using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MedSeg.Core.Viewer;

/// <summary>
/// Serves an HTML page at <c>http://127.0.0.1:PORT/</c> (loopback only) until disposed: a page file, or a viewer page
/// whose cases' slices are fetched one case at a time (<c>/case/INDEX.json</c>), so <c>medseg view --serve</c> shows
/// data at full resolution that a single file could not hold under its size cap. Every other path is a 404.
/// </summary>
public sealed class ViewerServer : IDisposable
{
    private const string Html = "text/html; charset=utf-8";

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, (byte[] Body, string Type)> _routes;
    private readonly Task _loop;

    private ViewerServer(Dictionary<string, (byte[] Body, string Type)> routes, int port)
    {
        _routes = routes;
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new MedSegException($"Cannot serve on {Url} ({e.Message}); choose another --port.", e);
        }
        _loop = Task.Run(Serve);
    }

    /// <summary>The page's address.</summary>
    public string Url { get; }

    /// <summary>Starts serving the file <paramref name="htmlPath"/> on <paramref name="port"/> (0: a free port).</summary>
    /// <exception cref="MedSegException">The file cannot be read or the port is taken.</exception>
    public static ViewerServer Start(string htmlPath, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(htmlPath);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        byte[] page;
        try
        {
            page = File.ReadAllBytes(htmlPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"Cannot read the page {htmlPath} ({e.Message}).", e);
        }
        return new ViewerServer(new() { ["/"] = (page, Html) }, port == 0 ? FreePort() : port);
    }

    /// <summary>Starts serving <paramref name="page"/> with its slices left out of the HTML and served per case.</summary>
    /// <exception cref="MedSegException">The port is taken.</exception>
    public static ViewerServer Start(ViewerPage page, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var routes = new Dictionary<string, (byte[] Body, string Type)> { ["/"] = (Encoding.UTF8.GetBytes(ViewerHtml.Render(page, servedPlanes: true)), Html) };
        for (int i = 0; i < page.Cases.Count; i++)
        {
            routes[string.Create(CultureInfo.InvariantCulture, $"/case/{i}.json")] = (Encoding.UTF8.GetBytes(ViewerHtml.CasePlanes(page, i)), "application/json");
        }
        return new ViewerServer(routes, port == 0 ? FreePort() : port);
    }

    /// <summary>Stops serving.</summary>
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by the listener closing under it.
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using HttpListenerResponse response = context.Response;
            if (_routes.TryGetValue(context.Request.Url?.AbsolutePath ?? "", out var route))
            {
                response.ContentType = route.Type;
                response.ContentLength64 = route.Body.Length;
                try
                {
                    await response.OutputStream.WriteAsync(route.Body).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpListenerException or IOException)
                {
                    // The browser went away mid-page; serve the next request.
                }
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
