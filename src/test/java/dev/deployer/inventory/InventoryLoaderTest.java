package dev.deployer.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.yaml.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryLoaderTest {
  private static final Path FILE = Path.of("/etc/deployer/hosts.yml");

  private static final String YAML = """
      all:
        vars:
          app_port: 80
          tier: none
          ansible_user: deploy
        hosts:
          bastion:
            ansible_host: 192.0.2.1
        children:
          web:
            vars:
              tier: web
              app_port: 8080
            hosts:
              web1:
                ansible_host: 192.0.2.10
                ansible_port: 2222
                app_port: 9090
              web2:
                address: 192.0.2.11
                user: admin
                identity_file: keys/web2
              web3:
            children:
              canary:
                vars:
                  tier: canary
                hosts:
                  web3:
          db:
            hosts:
              db1:
                ansible_ssh_private_key_file: ~/.ssh/db
      """;

  private final Inventory inventory = InventoryLoader.parse(YAML, FILE);

  @Test
  void hostVarsBeatGroupVarsBeatAllVars() {
    assertEquals(9090, ((Number) inventory.hosts().get("web1").vars().get("app_port")).intValue());
    assertEquals(8080, ((Number) inventory.hosts().get("web2").vars().get("app_port")).intValue());
    assertEquals(80, ((Number) inventory.hosts().get("db1").vars().get("app_port")).intValue());
    assertEquals("web", inventory.hosts().get("web1").vars().get("tier"));
    // The deeper group wins: canary is a child of web.
    assertEquals("canary", inventory.hosts().get("web3").vars().get("tier"));
  }

  @Test
  void connectionSettingsAcceptAnsibleNamesAndShortNames() {
    Host web1 = inventory.hosts().get("web1");
    assertEquals("192.0.2.10", web1.address());
    assertEquals(2222, web1.port());
    assertEquals("deploy", web1.user());
    Host web2 = inventory.hosts().get("web2");
    assertEquals("192.0.2.11", web2.address());
    assertEquals("admin", web2.user());
    assertEquals(Path.of("/etc/deployer/keys/web2"), web2.identityFile());
    assertEquals(22, web2.port());
    Host web3 = inventory.hosts().get("web3");
    assertEquals("web3", web3.address());
    assertNull(web3.identityFile());
    assertEquals(Path.of(System.getProperty("user.home"), ".ssh/db"), inventory.hosts().get("db1").identityFile());
  }

  @Test
  void groupsIncludeTheirChildrensHosts() {
    assertEquals(List.of("web1", "web2", "web3"), inventory.groups().get("web"));
    assertEquals(List.of("web", "canary"), inventory.hosts().get("web3").groups());
    assertEquals(List.of("bastion", "web1", "web2", "web3", "db1"), inventory.groups().get("all"));
  }

  @Test
  void patterns() {
    assertEquals(List.of("bastion", "web1", "web2", "web3", "db1"), names("all"));
    assertEquals(List.of("web1", "web2", "web3"), names("web"));
    assertEquals(List.of("web1", "db1"), names("db1,web1"));
    assertEquals(List.of("web1", "web2"), names("web:!web3"));
    assertEquals(List.of("web1", "web2"), names("web:!canary"));
    assertEquals(List.of("web3"), names("web:&canary"));
    assertEquals(List.of("web1", "web2", "web3"), names("web*"));
    assertEquals(List.of("bastion", "web1", "web2", "web3"), names("all:!db"));
  }

  @Test
  void unknownPatternTermIsAnErrorWithASuggestion() {
    ConfigException e = assertThrows(ConfigException.class, () -> inventory.select("web4"));
    assertTrue(e.getMessage().contains("no host or group 'web4'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean"), e.getMessage());
  }

  @Test
  void unknownGroupKeyNamesLineAndSuggests() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> InventoryLoader.parse("all:\n  host:\n    a:\n", Path.of("inv.yml")));
    assertEquals("inv.yml:2: unknown key 'host' in group 'all'; a group has hosts, children and vars"
        + " (did you mean 'hosts'?)", e.getMessage());
  }

  @Test
  void badPortIsAnError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> InventoryLoader.parse("all:\n  hosts:\n    a:\n      ansible_port: ssh\n", Path.of("inv.yml")));
    assertTrue(e.getMessage().startsWith("inv.yml:3:"), e.getMessage());
  }

  private List<String> names(String pattern) {
    return inventory.select(pattern).stream().map(Host::name).toList();
  }

  @Test
  void anIniInventoryResolvesToTheSameHostsAndVarsAsItsYamlTwin() {
    String ini = """
        # the Ansible INI way
        bastion ansible_host=192.0.2.1

        [web]
        web[01:03].example.com ansible_user=deploy
        web-extra.example.com:2222 app_port=9090 debug=True note="two words" tags="['a', 'b']"  # inline comment

        [db]
        db-[a:b].example.com

        [web:vars]
        tier=web
        greeting=hello world

        [prod:children]
        web
        db

        [prod:vars]
        env=production
        tier=prod

        [all:vars]
        ansible_user=root
        """;
    String yaml = """
        all:
          vars: {ansible_user: root}
          children:
            ungrouped:
              hosts:
                bastion: {ansible_host: 192.0.2.1}
            prod:
              vars: {env: production, tier: prod}
              children:
                web:
                  vars: {tier: web, greeting: hello world}
                  hosts:
                    web[01:03].example.com: {ansible_user: deploy}
                    web-extra.example.com:
                      ansible_port: 2222
                      app_port: 9090
                      debug: true
                      note: two words
                      tags: ['a', 'b']
                db:
                  hosts:
                    db-[a:b].example.com:
        """;
    Inventory fromIni = InventoryLoader.parse(ini, Path.of("/etc/deployer/hosts.ini"));
    Inventory fromYaml = InventoryLoader.parse(yaml, FILE);
    assertEquals(List.of("bastion", "web01.example.com", "web02.example.com", "web03.example.com",
        "web-extra.example.com", "db-a.example.com", "db-b.example.com"), List.copyOf(fromIni.hosts().keySet()));
    assertEquals(fromYaml.hosts().keySet(), fromIni.hosts().keySet());
    for (String host : fromYaml.hosts().keySet()) {
      Host a = fromIni.hosts().get(host);
      Host b = fromYaml.hosts().get(host);
      assertEquals(b.vars(), a.vars(), host);
      assertEquals(b.address() + ":" + b.port() + " " + b.user(), a.address() + ":" + a.port() + " " + a.user(), host);
      assertEquals(new java.util.TreeSet<>(b.groups()), new java.util.TreeSet<>(a.groups()), host);
    }
    assertEquals("deploy", fromIni.hosts().get("web02.example.com").user());
    assertEquals("web", fromIni.hosts().get("web01.example.com").vars().get("tier"), "the child group's vars beat the parent's");
    assertEquals(List.of("web01.example.com", "web02.example.com"), fromIni.select("web0*:!web03*", null).stream().map(Host::name).toList());
  }

  @Test
  void iniMistakesNameTheirLine() {
    Path ini = Path.of("hosts.ini");
    assertEquals("hosts.ini:2: a line in [web:vars] is key=value, not oops",
        assertThrows(ConfigException.class, () -> InventoryLoader.parse("[web:vars]\noops\n", ini)).getMessage());
    assertEquals("hosts.ini:1: unknown section kind ':child'; use [web], [web:vars] or [web:children]",
        assertThrows(ConfigException.class, () -> InventoryLoader.parse("[web:child]\n", ini)).getMessage());
    assertEquals("hosts.ini:2: after the host name, a host line has key=value pairs, not 'extra'",
        assertThrows(ConfigException.class, () -> InventoryLoader.parse("[web]\nh1 extra\n", ini)).getMessage());
    assertEquals("hosts.ini:1: range [5:1] is empty (its start is past its end)",
        assertThrows(ConfigException.class, () -> InventoryLoader.parse("h[5:1]\n", ini)).getMessage());
    assertTrue(InventoryLoader.parse("h1\nh2\n", Path.of("hosts")).hosts().containsKey("h2"), "a bare list of hosts is INI");
  }
}
