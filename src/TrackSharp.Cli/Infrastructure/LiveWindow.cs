using OpenCvSharp;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>An OpenCV HighGUI window for <c>track --show</c>: shows each annotated frame; Esc or q stops.</summary>
internal static class LiveWindow
{
    public static Func<Mat, bool> Create(string title)
    {
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
            throw new ArgumentException("--show needs a display (DISPLAY is not set); drop --show and watch the annotated video instead");
        string name = "tracksharp: " + title;
        return frame =>
        {
            Cv2.ImShow(name, frame);
            int key = Cv2.WaitKey(1) & 0xFF;
            bool stop = key is 27 or (int)'q';
            if (stop) Cv2.DestroyWindow(name);
            return !stop;
        };
    }
}
