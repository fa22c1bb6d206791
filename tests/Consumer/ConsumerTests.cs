using Xunit;

public class ConsumerTests
{
    [Fact]
    public void The_packed_packages_run_a_forward_pass_and_a_metric()
    {
        var (shape, ccc) = UsageExample.Run();

        Assert.Equal(new long[] { 2, 10, 2 }, shape);
        // means 2 and 3; variances 2/3 each; covariance 2/3 → 2·(2/3) / (2/3 + 2/3 + 1²) = 4/7
        Assert.Equal(4.0 / 7.0, ccc, 12);
    }

    [Fact]
    public void The_README_shows_exactly_the_code_this_project_compiles()
    {
        string here = AppContext.BaseDirectory;
        string root = Path.GetFullPath(Path.Combine(here, "../../../../.."));
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string example = File.ReadAllText(Path.Combine(root, "tests/Consumer/UsageExample.cs")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + example + "```", readme);
    }
}
