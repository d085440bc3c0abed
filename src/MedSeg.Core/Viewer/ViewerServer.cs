using System.Net;
using System.Net.Sockets;

namespace MedSeg.Core.Viewer;

/// <summary>
/// Serves one HTML page at <c>http://127.0.0.1:PORT/</c> (loopback only) until disposed: <c>medseg view --serve</c>,
/// for pages too large to open comfortably from a file, and the browser tests. Every other path is a 404.
/// </summary>
public sealed class ViewerServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _page;
    private readonly Task _loop;

    private ViewerServer(byte[] page, int port)
    {
        _page = page;
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
        return new ViewerServer(page, port == 0 ? FreePort() : port);
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
            if (context.Request.Url?.AbsolutePath is "/" or "/index.html")
            {
                response.ContentType = "text/html; charset=utf-8";
                response.ContentLength64 = _page.Length;
                try
                {
                    await response.OutputStream.WriteAsync(_page).ConfigureAwait(false);
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
