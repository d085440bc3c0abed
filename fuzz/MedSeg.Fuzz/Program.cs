using MedSeg.Core;
using MedSeg.Fuzz;
using SharpFuzz;

// The harness scripts/fuzz.sh runs under afl-fuzz. The contract it enforces: any bytes give a result or a
// MedSegException; any other exception escapes and afl-fuzz records the input as a crash (a run past afl's -t limit
// as a hang).
const string usage = "usage: MedSeg.Fuzz seeds TARGET DIR | run TARGET (input on stdin, under afl-fuzz) | check TARGET FILE...; targets: ";
var targets = FuzzTargets.All.ToDictionary(t => t.Name);
if (args.Length < 2 || !targets.TryGetValue(args[1], out var target) || args[0] is not ("seeds" or "run" or "check"))
{
    Console.Error.WriteLine(usage + string.Join(", ", targets.Keys));
    return 2;
}
var work = Directory.CreateTempSubdirectory("medseg-fuzz-").FullName;
var input = Path.Combine(work, target.FileName);
try
{
    switch (args[0])
    {
        case "seeds":
            Directory.CreateDirectory(args[2]);
            foreach (var (name, bytes) in target.Seeds())
            {
                File.WriteAllBytes(Path.Combine(args[2], name), bytes);
            }
            return 0;
        case "run":
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using (var file = File.Create(input))
                {
                    stream.CopyTo(file);
                }
                ReadOrFailClearly(target, input);
            });
            return 0;
        default:
            var broken = 0;
            foreach (var file in args[2..])
            {
                File.Copy(file, input, overwrite: true);
                try
                {
                    ReadOrFailClearly(target, input);
                }
                catch (Exception e)
                {
                    broken++;
                    Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
            Console.WriteLine($"{args.Length - 2 - broken} of {args.Length - 2} input(s) kept the contract (a result or a MedSegException)");
            return broken == 0 ? 0 : 1;
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static void ReadOrFailClearly(FuzzTarget target, string path)
{
    try
    {
        target.Read(path);
    }
    catch (MedSegException)
    {
    }
}
