namespace MedSeg.Tests.Browser;

/// <summary>A fact that needs a real browser: skipped, saying why and how to get one, where no Chromium is installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.Executable is null)
        {
            Skip = "needs Chromium (Debian: apt-get install chromium, or run scripts/setup.sh as root; elsewhere set MEDSEG_CHROMIUM to a Chromium or Chrome executable); none found";
        }
    }
}
