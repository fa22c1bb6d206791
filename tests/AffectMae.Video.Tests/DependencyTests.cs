using System.Xml.Linq;
using AffectMae.Video.Faces;

namespace AffectMae.Video.Tests;

public sealed class DependencyTests
{
    private static string Repository => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    [Fact]
    public void Core_and_models_assemblies_reference_neither_the_video_package_nor_opencv()
    {   // GUIDE.md: "Models and Core never depend on" the video package; the video package uses Models' recognizer.
        foreach (var assembly in new[] { typeof(AffectMae.Core.Segmentation.VideoSegmenter).Assembly, typeof(AffectMae.Models.Pipeline.AffectRecognizer).Assembly })
            assembly.GetReferencedAssemblies()
                .Should().NotContain(name => name.Name!.StartsWith("AffectMae.Video") || name.Name!.StartsWith("OpenCvSharp"), assembly.GetName().Name);
    }

    [Theory]
    [InlineData("src/AffectMae.Core/AffectMae.Core.csproj")]
    [InlineData("src/AffectMae.Models/AffectMae.Models.csproj")]
    [InlineData("src/AffectMae.Metrics/AffectMae.Metrics.csproj")]
    public void No_other_package_project_references_the_video_package_or_opencv(string project)
    {
        var references = XDocument.Load(Path.Combine(Repository, project)).Descendants()
            .Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? "")
            .ToList();
        references.Should().NotContain(r => r.Contains("AffectMae.Video") || r.StartsWith("OpenCvSharp"));
    }

    [Fact]
    public void The_video_package_references_managed_opencv_only_and_leaves_the_native_runtime_to_the_application()
    {
        var references = XDocument.Load(Path.Combine(Repository, "src/AffectMae.Video/AffectMae.Video.csproj")).Descendants()
            .Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (string)e.Attribute("Include")!)
            .ToList();
        references.Should().Contain("OpenCvSharp4").And.NotContain(r => r.Contains("runtime", StringComparison.OrdinalIgnoreCase));
        typeof(IFaceDetector).Assembly.GetReferencedAssemblies().Should().Contain(a => a.Name == "OpenCvSharp");
    }
}
