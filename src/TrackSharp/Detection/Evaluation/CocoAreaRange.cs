namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// An object-size range of the COCO evaluation, closed on both ends (<c>lo &lt;= area &lt;= hi</c>), so an area of
/// exactly 1024 is both small and medium and 9216 both medium and large, as in pycocotools.
/// </summary>
public readonly record struct CocoAreaRange(string Label, double Lo, double Hi)
{
    /// <summary>True when <paramref name="area"/> lies outside the closed range (the object is then ignored in it).</summary>
    public bool Excludes(double area) => area < Lo || area > Hi;
}
