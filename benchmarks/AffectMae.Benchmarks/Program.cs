// Entry point: `all | extract | precision | e2e | long | mae | temporal | memory | overhead | blas | video` run each case in a fresh child process (so the
// peak resident memory, VmHWM, belongs to that case alone), after waiting for the machine to be quiet, and merge the
// results into benchmarks/results/affectmae.json. A case that other processes disturbed while it ran (more than 0.25
// cores of theirs) is measured again, up to three times; the memory cases are not, their figures are memory. `case <name>` runs one case in this process.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;

namespace AffectMae.Benchmarks;

internal static class Program
{
    private const string ResultPrefix = "RESULT ";

    /// <summary>Runs of a case at most, when another process disturbed the previous one.</summary>
    private const int Attempts = 3;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    private static readonly Dictionary<string, string[]> Groups = new()
    {
        ["all"] = Cases.Names,
        ["extract"] = ["extract-b1", "extract-b8", "extract-b8-bf16", "extract-b32", "extract-b32-bf16"],
        ["mae"] = ["mae-b8"],
        ["temporal"] = ["temporal-b32"],
        ["memory"] = ["memory-temporal"],
        ["overhead"] = ["overhead"],
        ["blas"] = ["blas", "blas-bf16"],
        ["precision"] = ["blas", "blas-bf16", "extract-b8", "extract-b8-bf16", "extract-b32", "extract-b32-bf16", "precision-accuracy"],
        ["e2e"] = ["extract-e2e-b8-bf16", "extract-e2e-b32-bf16", "extract-e2e-b8"],
        ["long"] = ["predict-long", "predict-long-bf16"],
        ["video"] = ["video-decode", "video-faces-k1", "video-faces-k5", "video-predict-k5"],
        ["stream"] = ["recognizer-stream-2000", "recognizer-stream-20000"],
        ["profile"] = ["profile-temporal", "profile-mae", "profile-mae-torchsharp-adamw", "profile-extract"],
        ["adamw"] = ["mae-b8-torchsharp-adamw", "temporal-b32-torchsharp-adamw"],
        ["heap"] = ["extract-b8", "extract-b8+fixed-heap", "extract-b8-bf16", "extract-b8-bf16+fixed-heap", "temporal-b32", "temporal-b32+fixed-heap", "predict-long", "predict-long+fixed-heap"],
    };

    private static int Main(string[] args)
    {
        try
        {
            var (command, caseName, settings, output, gate, maxWait, passThrough) = Parse(args);
            if (command == "case")
            {
                Log.Line(MachineInfo.Describe());
                var result = Cases.Run(caseName!, settings);
                Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, Json));
                return 0;
            }
            return RunGroup(Groups[command], output, gate, maxWait, passThrough);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private const string Usage = """
        usage: dotnet run -c Release --project benchmarks/AffectMae.Benchmarks -- <command> [options]
          commands: all | extract | precision | e2e | long | mae | temporal | memory | overhead | blas | video | stream | profile | adamw | case <name>
          options:  --warmup N  --iterations N   override every case's counts
                    --threads N                  intra-op threads (default 2)
                    --memory-batch N             windows a batch in the memory case (default 8)
                    --memory-steps N             steps in the memory case (default 200)
                    --out PATH                   results file (default benchmarks/results/affectmae.json)
                    --no-wait                    do not wait for other processes to go quiet
                    --max-wait-minutes N         give up waiting after N minutes (default 15)
        """;

    private static (string Command, string? Case, Settings Settings, string Output, bool Gate, TimeSpan MaxWait, List<string> PassThrough) Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("No command given.");
        string command = args[0];
        string? caseName = null;
        int at = 1;
        if (command == "case")
        {
            if (args.Length < 2) throw new ArgumentException("'case' needs a case name.");
            caseName = args[1];
            at = 2;
        }
        else if (!Groups.ContainsKey(command))
        {
            throw new ArgumentException($"Unknown command '{command}'.");
        }

        var settings = new Settings();
        string output = Path.Combine("benchmarks", "results", "affectmae.json");
        bool gate = true;
        var maxWait = TimeSpan.FromMinutes(15);
        var passThrough = new List<string>();
        int Int(int i) => i < args.Length && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.");
        string Text(int i) => i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a path.");
        for (int i = at; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--warmup": settings.Warmup = Int(++i); passThrough.AddRange(["--warmup", args[i]]); break;
                case "--iterations": settings.Iterations = Int(++i); passThrough.AddRange(["--iterations", args[i]]); break;
                case "--threads": settings.Threads = Int(++i); passThrough.AddRange(["--threads", args[i]]); break;
                case "--memory-batch": settings.MemoryBatch = Int(++i); passThrough.AddRange(["--memory-batch", args[i]]); break;
                case "--memory-steps": settings.MemorySteps = Int(++i); passThrough.AddRange(["--memory-steps", args[i]]); break;
                case "--run": settings.RunFolder = Text(++i); passThrough.AddRange(["--run", args[i]]); break;
                case "--data": settings.DataFolder = Text(++i); passThrough.AddRange(["--data", args[i]]); break;
                case "--out": output = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--out needs a path."); break;
                case "--no-wait": gate = false; break;
                case "--max-wait-minutes": maxWait = TimeSpan.FromMinutes(Int(++i)); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        return (command, caseName, settings, output, gate, maxWait, passThrough);
    }

    private static int RunGroup(string[] caseNames, string output, bool gate, TimeSpan maxWait, List<string> passThrough)
    {
        Log.Line(MachineInfo.Describe());
        var results = new List<JsonObject>();
        foreach (var name in caseNames)
        {
            JsonObject? best = null;
            for (int attempt = 1; attempt <= Attempts; attempt++)
            {
                if (gate) QuietGate.Wait(maxWait);
                Log.Line($"case {name}: starting a fresh process (load average {LoadAverage.Read()})");
                var result = RunChild(name, passThrough);
                if (result is null) return 1;
                result["attempt"] = attempt;
                double foreign = (double)result["foreign_cores"]!;
                if (best is null || foreign < (double)best["foreign_cores"]!) best = result;
                if (!gate || foreign < QuietGate.MaxForeignCores || name.StartsWith("memory", StringComparison.Ordinal)) break;   // memory figures do not depend on contention
                Log.Line($"case {name}: other processes used {foreign:F2} cores while it ran; the figures are disturbed, measuring again ({attempt}/{Attempts})");
            }
            results.Add(best!);
            Merge(output, best!);
        }
        PrintSummary(results);
        Log.Line($"results merged into {Path.GetFullPath(output)}");
        return 0;
    }

    private static JsonObject? RunChild(string name, List<string> passThrough)
    {
        var start = new ProcessStartInfo { FileName = System.Environment.ProcessPath!, UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);   // launched as `dotnet AffectMae.Benchmarks.dll`
        start.ArgumentList.Add("case");
        start.ArgumentList.Add(name);
        foreach (var arg in passThrough) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        JsonObject? result = null;
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                result = JsonNode.Parse(line[ResultPrefix.Length..])!.AsObject();
            else
                Console.Out.WriteLine(line);
        }
        child.WaitForExit();
        if (child.ExitCode != 0 || result is null)
        {
            Log.Line($"case {name} failed (exit code {child.ExitCode}).");
            return null;
        }
        return result;
    }

    /// <summary>Replaces this case's entry in the results file, keeping the others, and refreshes the machine facts.</summary>
    private static void Merge(string output, JsonObject result)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(directory);
        var root = File.Exists(output) ? JsonNode.Parse(File.ReadAllText(output))!.AsObject() : [];
        root["side"] = "AffectMae";
        root["environment"] = DescribeEnvironment();
        var cases = root["results"] as JsonObject ?? [];
        root["results"] = null;
        cases[(string)result["case"]!] = result;
        root["results"] = cases;
        File.WriteAllText(output, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static JsonObject DescribeEnvironment() => new()
    {
        ["cpu"] = MachineInfo.CpuModel,
        ["cpu_flags"] = string.Join(' ', MachineInfo.CpuFlags),
        ["bfloat16_support"] = AffectMae.Models.Runtime.BFloat16Support.Probe(torch.CPU).Evidence,
        ["logical_cpus"] = System.Environment.ProcessorCount,
        ["memory_gib"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0, 1),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["torchsharp"] = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                         ?? typeof(torch).Assembly.GetName().Version?.ToString(),
        ["libtorch"] = "2.10.0 (TorchSharp-cpu 0.107.0 bundle)",
        ["dtype"] = "float32; bfloat16 in the -bf16 cases",
        ["device"] = "cpu",
    };

    private static void PrintSummary(List<JsonObject> results)
    {
        Console.Out.WriteLine();
        Console.Out.WriteLine($"{"case",-16} {"median s",10} {"img/s",8} {"GFLOP/s",8} {"ms/step",9} {"peak RSS MiB",13} {"others' cores",14}");
        foreach (var r in results)
        {
            static string F(JsonNode? node, string format) => node is null ? "-" : ((double)node).ToString(format, CultureInfo.InvariantCulture);
            Console.Out.WriteLine($"{(string)r["case"]!,-16} {F(r["median_seconds"], "F3"),10} {F(r["images_per_second"], "F2"),8} {F(r["gflops_per_second"], "F1"),8} {F(r["ms_per_step"], "F0"),9} {F(r["peak_rss_mib"], "F0"),13} {F(r["foreign_cores"], "F2"),14}");
        }
    }
}
